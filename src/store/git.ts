/**
 * The one place entente runs git: the real `git` binary with an argument
 * array (no shell), an explicit directory and environment. Content that git
 * reads from stdin (`cat-file --batch` requests) is written to it and closed.
 *
 * This used to go through simple-git, which waits an extra 50 ms after any
 * command that prints nothing (its completion plugin cannot tell a quiet
 * command from output still on its way). entente's fetches, ref updates and
 * pushes are quiet on purpose, so that wait was most of a warm read's time
 * (bench/README.md, "CLI start-up and warm commands"). A command is over when
 * its output streams have closed and it has exited: Node's `close` event.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { GitError } from '../errors.js';
import { redactShapes } from '../redact/shapes.js';

export type GitEnv = Record<string, string | undefined>;

/**
 * Options naming a program for git to run on the other side of a fetch or
 * push, with the abbreviations git accepts for them (`--upload-pa=…`).
 * entente never builds them from input (locations are checked), and this
 * guard keeps it that way: only the push that names its own receive-pack
 * (see `Upstream.pushArgs`) lifts it.
 */
const PACK_PROGRAM_OPTIONS = ['upload-pack', 'receive-pack', 'exec'];

/** Configuration that makes git run a program or use a transport: never passed with `-c`. */
const PROGRAM_CONFIG =
  /^(?:protocol\.|core\.(?:sshcommand|gitproxy|fsmonitor|hookspath|askpass|pager|editor)=|credential\.|uploadpack\.packobjectshook=)/i;

/** The first argument of `args` that could make git run a program, if any (pack programs only unless allowed). */
function programArgument(args: string[], allowPackProgram: boolean): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--config-env' || arg.startsWith('--config-env=')) return arg;
    if (arg === '-c' && PROGRAM_CONFIG.test(args[i + 1] ?? '')) return `-c ${args[i + 1]}`;
    if (allowPackProgram) continue;
    if (arg === '-u') return arg;
    const long = /^--([a-z-]+)(?:=|$)/.exec(arg)?.[1];
    if (long && long.length >= 2 && PACK_PROGRAM_OPTIONS.some((option) => option.startsWith(long)))
      return arg;
  }
  return undefined;
}

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
   * entente talks to it (`fast-import`, `cat-file --batch`).
   */
  start(args: string[]): ChildProcessWithoutNullStreams;
}

/** How a git command ended: its stdout, and on failure what it said (stdout and stderr) or its exit code. */
type Outcome = { ok: true; stdout: Buffer } | { ok: false; output: string };

export function gitRunner(dir: string, baseEnv: GitEnv): GitRunner {
  const env = cleanEnv({ ...baseEnv, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', LANGUAGE: 'C' });

  const exec = (
    args: string[],
    options: { input?: string | Buffer; env?: GitEnv; allowPackProgram?: boolean } = {},
  ): Promise<Outcome> => {
    const unsafe = programArgument(args, options.allowPackProgram === true);
    if (unsafe !== undefined)
      return Promise.resolve({
        ok: false,
        output: `refused to pass ${unsafe} to git: it names a program to run`,
      });
    return new Promise((resolve) => {
      const child = spawn('git', args, {
        cwd: dir,
        env: options.env ? cleanEnv({ ...env, ...options.env }) : env,
        stdio: ['pipe', 'pipe', 'pipe'],
        windowsHide: true,
      });
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      let failed: Error | undefined;
      child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
      child.on('error', (error) => {
        failed = error;
      });
      // git may exit before reading all of its input; the write error that follows is the exit's to report.
      child.stdin.on('error', () => {});
      child.stdin.end(options.input);
      child.on('close', (code, signal) => {
        if (failed) return resolve({ ok: false, output: failed.message });
        if (code === 0) return resolve({ ok: true, stdout: Buffer.concat(stdout) });
        const said = Buffer.concat([...stdout, ...stderr]).toString('utf8');
        resolve({
          ok: false,
          output: said.trim() ? said : `git exited with code ${code ?? signal}`,
        });
      });
    });
  };

  const describe = (args: string[], output: string): GitError =>
    // git quotes remote URLs in its messages, with the token a CI put in them.
    new GitError('git.failed', `git ${commandOf(args)} failed in ${dir}: ${redactShapes(output.trim())}`);

  return {
    dir,
    async run(args, options = {}) {
      const outcome = await exec(args, options);
      if (!outcome.ok) throw describe(args, outcome.output);
      return outcome.stdout.toString('utf8');
    },
    async attempt(args, options = {}) {
      const outcome = await exec(args, options);
      return outcome.ok ? { ok: true, output: outcome.stdout.toString('utf8') } : outcome;
    },
    async runBuffer(args, options = {}) {
      const outcome = await exec(args, options);
      if (!outcome.ok) throw describe(args, outcome.output);
      return outcome.stdout;
    },
    start(args) {
      return spawn('git', args, { cwd: dir, env, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    },
  };
}
function cleanEnv(env: GitEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  return out;
}

/** The git command `args` run (`fetch` in `-c gc.auto=0 fetch …`), for messages. */
function commandOf(args: string[]): string {
  let i = 0;
  while (args[i] === '-c' || args[i]?.startsWith('--')) i += args[i] === '-c' ? 2 : 1;
  return args[i] ?? args[0] ?? '';
}
