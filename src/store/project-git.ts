import { readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { type GitEnv, gitRunner } from './git.js';

/**
 * The branch and commit of the user's own project, read from its git checkout
 * (when it is one). Every command resolves them, so a plain checkout is read
 * from its files (readCheckoutFiles); anything less plain asks git.
 */
export async function readProjectGit(
  cwd: string,
  env: GitEnv,
): Promise<{ branch?: string; commit?: string }> {
  const plain = await readCheckoutFiles(cwd, env).catch(() => undefined);
  if (plain) return plain;
  // One process for both: the commit, then `refs/heads/<branch>` (or `HEAD` when detached).
  const answer = await gitRunner(cwd, env).attempt([
    'rev-parse',
    'HEAD',
    '--symbolic-full-name',
    'HEAD',
    '--',
  ]);
  const [commit = '', name = ''] = answer.ok ? answer.output.trim().split('\n') : [];
  if (!OBJECT_ID.test(commit)) return {};
  const branch = name.startsWith('refs/heads/') ? name.slice('refs/heads/'.length) : '';
  return { commit, ...(branch ? { branch } : {}) };
}

const OBJECT_ID = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/** Variables that change where git looks for the repository: with any of them set, git answers. */
const DISCOVERY_VARIABLES = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_COMMON_DIR',
  'GIT_CEILING_DIRECTORIES',
  'GIT_DISCOVERY_ACROSS_FILESYSTEM',
];

/**
 * What git's own files plainly say: the first `.git` folder from `cwd` up,
 * its HEAD, and the loose or packed branch ref HEAD names. `{}` when no folder
 * up to the filesystem's root holds a repository. Undefined, for git to
 * answer, when anything is less plain: a discovery variable set, a `.git` file
 * (worktree, submodule), a bare repository, a mount point on the way up, a
 * folder owned by someone else (git's safe.directory), reftable refs, a
 * symbolic ref.
 */
async function readCheckoutFiles(
  cwd: string,
  env: GitEnv,
): Promise<{ branch?: string; commit?: string } | undefined> {
  if (DISCOVERY_VARIABLES.some((name) => env[name] !== undefined)) return undefined;
  let dir = resolve(cwd);
  let device = (await stat(dir)).dev;
  for (;;) {
    const dotGit = await stat(join(dir, '.git')).catch(() => undefined);
    if (dotGit) {
      if (!dotGit.isDirectory()) return undefined;
      if (typeof process.getuid === 'function' && dotGit.uid !== process.getuid()) return undefined;
      return readHead(join(dir, '.git'));
    }
    if (
      await stat(join(dir, 'objects')).then(
        () => true,
        () => false,
      )
    )
      return undefined;
    const parent = dirname(dir);
    if (parent === dir) return {};
    const parentDevice = (await stat(parent)).dev;
    if (parentDevice !== device) return undefined;
    device = parentDevice;
    dir = parent;
  }
}

/**
 * A ref name as `git check-ref-format` accepts it, so that a file name read
 * from `.git/HEAD` never leaves the refs folder (`refs/heads/../../x`): no
 * `..`, no component starting with `.` or ending with `.lock`, no empty
 * component, no control characters, spaces or `~^:?*[\\`, no `@{`.
 */
function plainRefName(ref: string): boolean {
  if (/\.\.|@\{|[~^:?*[\\]|\/\/|\/$|\.$/.test(ref)) return false;
  if ([...ref].some((c) => c.charCodeAt(0) <= 0x20 || c.charCodeAt(0) === 0x7f)) return false;
  return ref.split('/').every((part) => part !== '' && !part.startsWith('.') && !part.endsWith('.lock'));
}

async function readHead(gitDir: string): Promise<{ branch?: string; commit?: string } | undefined> {
  if (
    await stat(join(gitDir, 'reftable')).then(
      () => true,
      () => false,
    )
  )
    return undefined;
  const head = (await readFile(join(gitDir, 'HEAD'), 'utf8')).trim();
  if (OBJECT_ID.test(head)) return { commit: head };
  const ref = /^ref: (refs\/heads\/\S+)$/.exec(head)?.[1];
  if (!ref || !plainRefName(ref)) return undefined;
  const branch = ref.slice('refs/heads/'.length);
  const loose = await readFile(join(gitDir, ref), 'utf8').then(
    (text) => text.trim(),
    () => undefined,
  );
  if (loose !== undefined) return OBJECT_ID.test(loose) ? { commit: loose, branch } : undefined;
  const packed = await readFile(join(gitDir, 'packed-refs'), 'utf8').catch(() => '');
  for (const line of packed.split('\n')) {
    const [oid, name] = line.split(' ');
    if (name === ref && oid && OBJECT_ID.test(oid)) return { commit: oid, branch };
  }
  // A branch with no commit yet: git has no commit to report either.
  return {};
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
