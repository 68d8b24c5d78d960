import { type GitEnv, gitRunner } from './git.js';

/** The branch and commit of the user's own project, read from its git checkout (when it is one). */
export async function readProjectGit(
  cwd: string,
  env: GitEnv,
): Promise<{ branch?: string; commit?: string }> {
  const git = gitRunner(cwd, env);
  const commit = await git.attempt(['rev-parse', '--verify', '--quiet', 'HEAD']);
  if (!commit.ok) return {};
  const branch = await git.attempt(['symbolic-ref', '--quiet', '--short', 'HEAD']);
  return {
    commit: commit.output.trim(),
    ...(branch.ok && branch.output.trim() ? { branch: branch.output.trim() } : {}),
  };
}
