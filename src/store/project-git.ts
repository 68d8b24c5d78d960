import { InputError } from '../errors.js';
import { type GitEnv, gitRunner } from './git.js';

/** The branch and commit of the user's own project, read from its git checkout (when it is one). */
export async function readProjectGit(
  cwd: string,
  env: GitEnv,
): Promise<{ branch?: string; commit?: string }> {
  // One process for both: the commit, then `refs/heads/<branch>` (or `HEAD` when detached).
  const answer = await gitRunner(cwd, env).attempt([
    'rev-parse',
    'HEAD',
    '--symbolic-full-name',
    'HEAD',
    '--',
  ]);
  const [commit = '', name = ''] = answer.ok ? answer.output.trim().split('\n') : [];
  if (!/^[0-9a-f]{40,64}$/.test(commit)) return {};
  const branch = name.startsWith('refs/heads/') ? name.slice('refs/heads/'.length) : '';
  return { commit, ...(branch ? { branch } : {}) };
}

/** A commit-ish of the user's project and the files it holds, read without touching the working tree. */
export interface ProjectRef {
  ref: string;
  /** The project's top-level folder (absolute, symlinks resolved). */
  root: string;
  /** The text of a file at the ref by its path relative to `root`; undefined when the ref has no such file. */
  readFile(path: string): Promise<string | undefined>;
}

/**
 * Opens `ref` (a branch, tag, sha, `HEAD~1`…) of the git repository that
 * holds `cwd`; InputError when `cwd` is not in one or the ref names no commit.
 */
export async function openProjectRef(cwd: string, env: GitEnv, ref: string): Promise<ProjectRef> {
  const git = gitRunner(cwd, env);
  const top = await git.attempt(['rev-parse', '--show-toplevel']);
  if (!top.ok) {
    throw new InputError('input.not-a-git-repository', `${ref}: ${cwd} is not inside a git repository`, {
      details: [
        { where: ref, message: 'a gitref:path side needs the current folder to be in a git repository' },
      ],
    });
  }
  // With `--quiet` git writes nothing to stderr, so an unknown ref shows as an empty answer, not a failure.
  const commit = ref.startsWith('-')
    ? undefined
    : await git.attempt(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  if (!commit?.ok || commit.output.trim() === '') {
    throw new InputError(
      'input.git-ref-unknown',
      `${ref}: not a commit, branch or tag of ${top.output.trim()}`,
      {
        details: [{ where: ref, message: 'expected a branch, tag, commit or expression such as HEAD~1' }],
      },
    );
  }
  return {
    ref,
    root: top.output.trim(),
    async readFile(path) {
      const blob = await git.attempt(['cat-file', 'blob', `${ref}:${path}`]);
      return blob.ok ? blob.output : undefined;
    },
  };
}
