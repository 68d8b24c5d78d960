/**
 * The one place entente runs git. Everything goes through simple-git with an
 * explicit directory and environment; content that git reads from stdin
 * (`hash-object --stdin`, `update-index --index-info`, `cat-file --batch`)
 * goes through simple-git's input plugin.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { type SimpleGit, type SimpleGitOptions, simpleGit } from 'simple-git';
import { GitError } from '../errors.js';
import { redactShapes } from '../redact/shapes.js';

export type GitEnv = Record<string, string | undefined>;

/**
 * The user's own environment reaches git unchanged (credential helpers,
 * GIT_SSH_COMMAND, GIT_CONFIG_GLOBAL in CI), so simple-git's guards against
 * *injected* environment keys are told these keys are intended. Arguments are
 * built by entente from validated names only, and the guard against
 * `--upload-pack`/`--receive-pack` arguments stays on: only the push that
 * names its own receive-pack (see `Upstream.pushArgs`) lifts it.
 */
const TRUSTED_ENVIRONMENT: Partial<SimpleGitOptions['unsafe']> = {
  allowUnsafeConfigPaths: true,
  allowUnsafeConfigEnvCount: true,
  allowUnsafeSshCommand: true,
  allowUnsafeAskPass: true,
  allowUnsafeGitProxy: true,
  allowUnsafeTemplateDir: true,
  allowUnsafeEditor: true,
  allowUnsafePager: true,
  allowUnsafeExec: true,
  allowUnsafeDiffExternal: true,
};

export interface GitRunner {
  readonly dir: string;
  /** Runs `git <args>` and returns stdout; throws GitError with git's own message. */
  run(args: string[], options?: { input?: string | Buffer; env?: GitEnv }): Promise<string>;
  /** Like run, but returns the failure instead of throwing (for push, whose rejections are expected). */
  attempt(
    args: string[],
    options?: { env?: GitEnv; allowPackProgram?: boolean },
  ): Promise<{ ok: true; output: string } | { ok: false; output: string }>;
  /** Reads raw bytes of stdout (for `cat-file --batch`). */
  runBuffer(args: string[], options?: { input?: string | Buffer }): Promise<Buffer>;
  /**
   * Starts a git process that stays up and answers over stdin/stdout while
   * entente talks to it (`fast-import`); simple-git only runs a command to its
   * end with all of its input given up front.
   */
  start(args: string[]): ChildProcessWithoutNullStreams;
}

export function gitRunner(dir: string, baseEnv: GitEnv): GitRunner {
  const env = cleanEnv({ ...baseEnv, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', LANGUAGE: 'C' });
  const make = (extraEnv: GitEnv = {}, input?: string | Buffer, allowPackProgram = false): SimpleGit => {
    const merged = cleanEnv({ ...env, ...extraEnv });
    return simpleGit({
      baseDir: dir,
      maxConcurrentProcesses: 4,
      allowEnvironment: Object.keys(merged),
      unsafe: allowPackProgram ? { ...TRUSTED_ENVIRONMENT, allowUnsafePack: true } : TRUSTED_ENVIRONMENT,
      // simple-git treats a failing command that printed nothing (`rev-parse --verify --quiet`) as a success.
      errors: (error, result) =>
        error ?? (result.exitCode === 0 ? undefined : new Error(`git exited with code ${result.exitCode}`)),
      ...(input === undefined ? {} : { input: () => input }),
    }).env(merged);
  };

  const describe = (args: string[], error: unknown): GitError => {
    // git quotes remote URLs in its messages, with the token a CI put in them.
    const message = redactShapes(error instanceof Error ? error.message.trim() : String(error));
    return new GitError('git.failed', `git ${args[0]} failed in ${dir}: ${message}`, { cause: error });
  };

  return {
    dir,
    async run(args, options = {}) {
      try {
        return await make(options.env, options.input).raw(args);
      } catch (error) {
        throw describe(args, error);
      }
    },
    async attempt(args, options = {}) {
      try {
        return { ok: true, output: await make(options.env, undefined, options.allowPackProgram).raw(args) };
      } catch (error) {
        return { ok: false, output: error instanceof Error ? error.message : String(error) };
      }
    },
    async runBuffer(args, options = {}) {
      const chunks: Buffer[] = [];
      try {
        const git = make({}, options.input).outputHandler((_command, stdout) => {
          stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
        });
        await git.raw(args);
      } catch (error) {
        throw describe(args, error);
      }
      return Buffer.concat(chunks);
    },
    start(args) {
      return spawn('git', args, { cwd: dir, env, stdio: ['pipe', 'pipe', 'pipe'] });
    },
  };
}

function cleanEnv(env: GitEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  return out;
}
