import { createHash, randomBytes } from 'node:crypto';
import { appendFile, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { GitError, InputError } from '../errors.js';
import { redactUrl } from '../redact/shapes.js';
import { type GitEnv, gitRunner } from './git.js';

/** Where the contracts repository is, as configured. */
export type ContractsLocation =
  | { kind: 'default'; path: string }
  | { kind: 'path'; path: string }
  | { kind: 'url'; url: string };

/** What a transaction pushes to and fetches from, once the location has been checked. */
export interface Upstream {
  /** A URL or an absolute path, as given to git fetch/push. */
  target: string;
  /** A human description for messages. */
  describe: string;
  /** Extra push arguments: a non-bare repository takes pushes to its checked-out branch and updates its files. */
  pushArgs: string[];
  /** A non-bare repository's folder: pushes into it update its files, so they take turns. */
  checkout?: string;
}

const URL_LIKE = /^(?:[a-z][a-z0-9+.-]*:\/\/|[^/\s]+@[^:/\s]+:)/i;
/** Transports git may use for the contracts repository; remote helpers (`ext::`, `fd::`) run commands and are never allowed. */
const ALLOWED_SCHEMES = new Set(['https:', 'http:', 'ssh:', 'git:', 'file:', 'git+ssh:', 'ssh+git:']);
/** `<transport>::<address>`: git hands it to a remote helper. */
const REMOTE_HELPER = /^[a-z][a-z0-9+.-]*::/i;

/**
 * `--contracts` / ENTENTE_CONTRACTS / `.entente.yml` value → a location
 * (relative paths against `baseDir`). A location reaches git's command line,
 * so anything git could read as an option or a command is refused: a leading
 * `-` (`--upload-pack=…`), remote helpers (`ext::sh -c …`), schemes other than
 * https, http, ssh, git and file, and hosts or users starting with `-`.
 */
export function parseLocation(value: string, baseDir: string, where = '--contracts'): ContractsLocation {
  const refuse = (why: string): never => {
    throw new InputError('input.contracts-location', `${where}: ${JSON.stringify(value)} ${why}`, {
      details: [
        {
          where,
          message: `${why}; expected a path, an https://, http://, ssh://, git:// or file:// URL, or user@host:path`,
        },
      ],
    });
  };
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(value)) refuse('contains control characters');
  if (value.startsWith('-')) refuse('starts with "-", which git would read as an option');
  if (REMOTE_HELPER.test(value)) refuse('names a git remote helper, which can run commands');
  if (URL_LIKE.test(value)) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        return refuse('is not a valid URL');
      }
      if (!ALLOWED_SCHEMES.has(url.protocol))
        refuse(`uses the transport ${url.protocol}, which is not allowed`);
      if (url.hostname.startsWith('-') || decodeURIComponent(url.username).startsWith('-')) {
        refuse('names a host or user starting with "-", which ssh would read as an option');
      }
      if (url.protocol === 'file:') return { kind: 'path', path: url.pathname };
    } else if (/^-|@-/.test(value)) {
      refuse('names a host or user starting with "-", which ssh would read as an option');
    }
    return { kind: 'url', url: value };
  }
  return { kind: 'path', path: resolve(baseDir, value) };
}

/**
 * The contracts branch (`ENTENTE_CONTRACTS_BRANCH`, `contractsBranch`): a
 * branch name as `git check-ref-format --branch` accepts it, never an option.
 */
export function contractsBranchName(value: string, where: string): string {
  const valid =
    !value.startsWith('-') &&
    !value.startsWith('/') &&
    !value.endsWith('/') &&
    !value.endsWith('.') &&
    !value.endsWith('.lock') &&
    !value.includes('..') &&
    !value.includes('//') &&
    !value.includes('@{') &&
    !value.split('/').some((part) => part.startsWith('.')) &&
    value !== '@' &&
    // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
    !/[\u0000-\u0020\u007f~^:?*[\\]/.test(value);
  if (!valid) {
    throw new InputError(
      'input.contracts-branch',
      `${where}: ${JSON.stringify(value)} is not a valid branch name`,
      {
        details: [
          { where, message: 'expected a git branch name (see git check-ref-format), not starting with "-"' },
        ],
      },
    );
  }
  return value;
}

/** For messages and output: a URL without its credentials (`https://x-access-token:[redacted]@…`). */
export function describeLocation(location: ContractsLocation): string {
  return location.kind === 'url' ? redactUrl(location.url) : location.path;
}

/**
 * Checks the location and returns how to reach it. The default location is
 * created on first use (a non-bare repository, so its files can be browsed).
 * With `branch`, an unborn HEAD is pointed at it (see `pointUnbornHeadAt`;
 * the store does that itself when a fetch finds the branch missing).
 */
export async function openUpstream(
  location: ContractsLocation,
  env: GitEnv,
  branch?: string,
): Promise<Upstream> {
  if (location.kind === 'url')
    return { target: location.url, describe: redactUrl(location.url), pushArgs: [] };
  if (location.kind === 'default' && !(await exists(location.path))) {
    await mkdir(dirname(location.path), { recursive: true });
    await gitRunner(dirname(location.path), env).run([
      'init',
      '--quiet',
      '--initial-branch=main',
      location.path,
    ]);
  }
  const path = location.path;
  const info = await stat(path).catch(() => undefined);
  if (!info) {
    throw new InputError('input.contracts-missing', `contracts repository ${path} does not exist`, {
      details: [{ where: '--contracts', message: 'expected a git repository, a bare repository or a URL' }],
    });
  }
  if (!info.isDirectory()) {
    throw new InputError(
      'input.contracts-not-repo',
      `contracts repository ${path} is a file, not a git repository`,
    );
  }
  const real = resolve(path);
  const plain = await plainLayout(real);
  const probe = plain
    ? { ok: true, output: '' }
    : await gitRunner(path, env).attempt(['rev-parse', '--is-bare-repository', '--absolute-git-dir']);
  const [bareFlag, gitDir] = probe.ok ? probe.output.trim().split('\n') : [];
  const isRoot =
    plain !== undefined ||
    (gitDir !== undefined && (resolve(gitDir) === real || resolve(gitDir) === join(real, '.git')));
  if (!probe.ok || !isRoot) {
    throw new InputError('input.contracts-not-repo', `contracts location ${path} is not a git repository`, {
      details: [
        {
          where: '--contracts',
          message:
            'expected the root of a git repository (bare or not), or a URL; run `git init` there first',
        },
      ],
    });
  }
  if (branch !== undefined) await pointUnbornHeadAt(real, env, branch);
  const bare = plain ? plain === 'bare' : bareFlag === 'true';
  return {
    target: real,
    describe: real,
    pushArgs: bare ? [] : ['--receive-pack=git -c receive.denyCurrentBranch=updateInstead receive-pack'],
    ...(bare ? {} : { checkout: real }),
  };
}

/**
 * What a repository's own files plainly say `path` is: the root of a bare
 * repository (`HEAD`, `objects/`, `refs/` and `bare = true` in its config) or
 * of a checkout (the same in `.git/`, with `bare = false` and no other
 * worktree). This spares a git process on every command; anything less
 * plain (a `.git` file, a `core.worktree`, no config) is left to git.
 */
async function plainLayout(path: string): Promise<'bare' | 'checkout' | undefined> {
  const kind = (file: string) =>
    stat(file).then(
      (info) => (info.isDirectory() ? 'dir' : info.isFile() ? 'file' : 'other'),
      () => undefined,
    );
  const gitDirConfig = async (dir: string) => {
    const [head, objects, refs] = await Promise.all([
      kind(join(dir, 'HEAD')),
      kind(join(dir, 'objects')),
      kind(join(dir, 'refs')),
    ]);
    if (head !== 'file' || objects !== 'dir' || refs !== 'dir') return undefined;
    return readFile(join(dir, 'config'), 'utf8').catch(() => undefined);
  };
  if ((await kind(join(path, '.git'))) === 'dir') {
    const config = await gitDirConfig(join(path, '.git'));
    return config && /^\s*bare\s*=\s*false\s*$/im.test(config) && !/^\s*worktree\s*=/im.test(config)
      ? 'checkout'
      : undefined;
  }
  const config = await gitDirConfig(path);
  return config && /^\s*bare\s*=\s*true\s*$/im.test(config) ? 'bare' : undefined;
}

/**
 * `git init --bare` names its HEAD after the machine's default branch (often
 * `master`) while entente writes the contracts branch (`main` by default):
 * clones of such a repository then warn that HEAD points nowhere and check
 * nothing out. While HEAD is unborn, point it at the contracts branch. A HEAD
 * that names a commit is the owner's choice and is left alone.
 */
export async function pointUnbornHeadAt(repository: string, env: GitEnv, branch: string): Promise<void> {
  const git = gitRunner(repository, env);
  if ((await git.attempt(['rev-parse', '--verify', '--quiet', 'HEAD'])).ok) return;
  const head = await git.attempt(['symbolic-ref', '--quiet', 'HEAD']);
  if (head.ok && head.output.trim() === `refs/heads/${branch}`) return;
  await git.run(['symbolic-ref', 'HEAD', `refs/heads/${branch}`]);
}

/**
 * The bare cache repository entente fetches into and commits from, one per
 * upstream. Created atomically (init in a temporary folder, then rename) so
 * concurrent processes can share it.
 */
export async function openCache(cacheDir: string, upstream: Upstream, env: GitEnv): Promise<string> {
  const dir = cachePath(cacheDir, upstream);
  if (await exists(join(dir, 'HEAD'))) return configurePromisor(dir, upstream, env);
  await mkdir(join(cacheDir, 'repos'), { recursive: true });
  // Half-written (a process killed while creating it, a disk that filled up): start it again.
  if (await exists(dir)) await removeCache(dir);
  const temp = `${dir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await gitRunner(dirname(temp), env).run(['init', '--quiet', '--bare', temp]);
    await configurePromisor(temp, upstream, env, true);
    await rename(temp, dir).catch(async (error: NodeJS.ErrnoException) => {
      if (!(await exists(join(dir, 'HEAD')))) throw error;
    });
  } catch (error) {
    if (!(await exists(join(dir, 'HEAD')))) {
      throw new GitError(
        'git.cache',
        `could not create the cache repository ${dir}: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
  return dir;
}

/** The cache repository's folder for an upstream (it may not exist yet). */
export function cachePath(cacheDir: string, upstream: Pick<Upstream, 'target'>): string {
  const slug =
    basename(upstream.target)
      .replace(/\.git$/, '')
      .replace(/[^A-Za-z0-9._-]/g, '_') || 'contracts';
  const hash = createHash('sha256').update(upstream.target).digest('hex').slice(0, 12);
  return join(cacheDir, 'repos', `${slug}-${hash}`);
}

/** The name of the upstream inside a cache repository: the remote that lends it missing objects. */
export const CACHE_REMOTE = 'origin';

/**
 * Makes the cache a partial clone of the upstream: fetches ask for the newest
 * commit without file contents, and on an empty cache without the folders
 * below its root (see `ContractsStore.fetchBranch`); the folders and files a
 * read needs are fetched in batches (Snapshot, CatFile). A remote that does
 * not serve filters sends everything instead, which works the same.
 */
async function configurePromisor(
  dir: string,
  upstream: Upstream,
  env: GitEnv,
  fresh = false,
): Promise<string> {
  // Written once the configuration is complete, so opening a configured cache runs no git process.
  const marker = join(dir, 'entente-upstream');
  if ((await readFile(marker, 'utf8').catch(() => undefined)) === upstream.target) return dir;
  const settings = [
    [`remote.${CACHE_REMOTE}.promisor`, 'true'],
    [`remote.${CACHE_REMOTE}.partialclonefilter`, 'blob:none'],
    ['extensions.partialClone', CACHE_REMOTE],
    // The URL goes last: once it is there, the rest is too (another process may be configuring the same cache).
    [`remote.${CACHE_REMOTE}.url`, upstream.target],
  ] as const;
  if (fresh && !/[\n\r\0]/.test(upstream.target)) {
    // A cache being created is still private to this process: its configuration is written in one go.
    const value = `"${upstream.target.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
    await appendFile(
      join(dir, 'config'),
      `[remote "${CACHE_REMOTE}"]\n\tpromisor = true\n\tpartialclonefilter = blob:none\n\turl = ${value}\n[extensions]\n\tpartialClone = ${CACHE_REMOTE}\n`,
    );
    await writeFile(marker, upstream.target);
    return dir;
  }
  const git = gitRunner(dir, env);
  const current = await git.attempt(['config', '--get', `remote.${CACHE_REMOTE}.url`]);
  let complete = current.ok && current.output.trim() === upstream.target;
  if (!complete) {
    complete = true;
    for (const [key, value] of settings)
      complete = (await git.attempt(['config', key, value])).ok && complete;
  }
  // A cache that cannot even be configured is broken: the first fetch fails, and the store rebuilds it.
  if (complete) await writeFile(marker, upstream.target).catch(() => undefined);
  return dir;
}

/** Removes a cache repository, moved aside first: other processes may still be reading it. */
export async function removeCache(dir: string): Promise<void> {
  const aside = `${dir}.broken-${process.pid}-${randomBytes(4).toString('hex')}`;
  const moved = await rename(dir, aside).then(
    () => true,
    () => false,
  );
  if (moved) await rm(aside, { recursive: true, force: true });
}

/**
 * `git fetch` as entente runs it into a cache: quiet, no tags, no FETCH_HEAD,
 * no submodules, no automatic gc and no `git maintenance run --auto` after it
 * (a process per fetch that found nothing to do: gc.auto=0 already turned its
 * gc off; see docs/contracts-repo.md, "Git processes per read").
 */
export const CACHE_FETCH = [
  '-c',
  'gc.auto=0',
  '-c',
  'maintenance.auto=false',
  'fetch',
  '--quiet',
  '--no-tags',
  '--no-write-fetch-head',
  '--no-recurse-submodules',
] as const;

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
