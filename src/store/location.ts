import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { GitError, InputError } from '../errors.js';
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

/** `--contracts` / ENTENTE_CONTRACTS / `.entente.yml` value → a location (relative paths against `baseDir`). */
export function parseLocation(value: string, baseDir: string): ContractsLocation {
  if (URL_LIKE.test(value)) {
    if (value.startsWith('file://')) return { kind: 'path', path: new URL(value).pathname };
    return { kind: 'url', url: value };
  }
  return { kind: 'path', path: resolve(baseDir, value) };
}

export function describeLocation(location: ContractsLocation): string {
  return location.kind === 'url' ? location.url : location.path;
}

/**
 * Checks the location and returns how to reach it. The default location is
 * created on first use (a non-bare repository, so its files can be browsed).
 */
export async function openUpstream(location: ContractsLocation, env: GitEnv): Promise<Upstream> {
  if (location.kind === 'url') return { target: location.url, describe: location.url, pushArgs: [] };
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
  const git = gitRunner(path, env);
  const probe = await git.attempt(['rev-parse', '--is-bare-repository', '--absolute-git-dir']);
  const [bareFlag, gitDir] = probe.ok ? probe.output.trim().split('\n') : [];
  const real = resolve(path);
  const isRoot = gitDir !== undefined && (resolve(gitDir) === real || resolve(gitDir) === join(real, '.git'));
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
  const bare = bareFlag === 'true';
  return {
    target: real,
    describe: real,
    pushArgs: bare ? [] : ['--receive-pack=git -c receive.denyCurrentBranch=updateInstead receive-pack'],
    ...(bare ? {} : { checkout: real }),
  };
}

/**
 * The bare cache repository entente fetches into and commits from, one per
 * upstream. Created atomically (init in a temporary folder, then rename) so
 * concurrent processes can share it.
 */
export async function openCache(cacheDir: string, upstream: Upstream, env: GitEnv): Promise<string> {
  const dir = cachePath(cacheDir, upstream);
  if (await exists(join(dir, 'HEAD'))) return dir;
  await mkdir(join(cacheDir, 'repos'), { recursive: true });
  if (await exists(dir)) {
    // Half-written (a process killed while creating it, a disk that filled up): start it again.
    const aside = `${dir}.broken-${process.pid}-${randomBytes(4).toString('hex')}`;
    if (
      await rename(dir, aside).then(
        () => true,
        () => false,
      )
    )
      await rm(aside, { recursive: true, force: true });
  }
  const temp = `${dir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await gitRunner(dirname(temp), env).run(['init', '--quiet', '--bare', temp]);
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

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
