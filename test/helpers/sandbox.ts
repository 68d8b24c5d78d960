/**
 * A throwaway world for integration tests: its own HOME (with a git identity,
 * `main` as the default branch and signing off), its own ENTENTE_HOME and
 * cache, and helpers for bare remotes and clones. Never the machine's config.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

export interface Sandbox {
  root: string;
  env: Record<string, string>;
  /** `git <args>` in `cwd` with the sandbox environment; returns stdout. */
  git(cwd: string, ...args: string[]): Promise<string>;
  /** A new empty bare repository acting as the shared remote. */
  bareRemote(name?: string): Promise<string>;
  /** A fresh folder under the sandbox. */
  dir(name: string): string;
  cleanup(): void;
}

export function createSandbox(): Sandbox {
  const root = mkdtempSync(join(tmpdir(), 'entente-test-'));
  const home = join(root, 'home');
  const gitconfig = join(root, 'gitconfig');
  writeFileSync(
    gitconfig,
    '[user]\n\tname = Test User\n\temail = test@example.invalid\n[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n[tag]\n\tgpgsign = false\n',
  );
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    GIT_CONFIG_GLOBAL: gitconfig,
    GIT_CONFIG_NOSYSTEM: '1',
    ENTENTE_HOME: join(root, 'entente-home'),
    ENTENTE_CACHE_DIR: join(root, 'cache'),
    NO_COLOR: '1',
    CI: '',
    // Users have these set; git must still run (git tools that guard the environment refuse some of these keys).
    EDITOR: 'vi',
    PAGER: 'less',
    GIT_PAGER: 'cat',
  };
  const git = async (cwd: string, ...args: string[]) => (await exec('git', args, { cwd, env })).stdout;
  let counter = 0;
  return {
    root,
    env,
    git,
    dir(name: string) {
      const path = join(root, `${name}-${++counter}`);
      return path;
    },
    async bareRemote(name = 'contracts') {
      const path = join(root, `${name}-${++counter}.git`);
      await exec('git', ['init', '--quiet', '--bare', path], { env });
      return path;
    },
    cleanup() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}
