/**
 * `entente record -- <command…>`: runs a test command with recording on,
 * then publishes what that run recorded when it passed (or always).
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { InputError } from '../errors.js';
import type { PublishResult } from './publish.js';

export interface RecordRunOptions {
  /** The command and its arguments, run without a shell. */
  command: string[];
  cwd: string;
  /** The environment the command runs with; recording variables are added to it. */
  env: Record<string, string | undefined>;
  pendingDir: string;
  /** Every interaction the command records is tagged with it; only those are published. */
  testRun: string;
  /** Publish even when the command failed. */
  always: boolean;
  /** Where the command's stdout goes ('stderr' keeps entente's stdout for --json). */
  stdout: 'inherit' | 'stderr';
  publish: (testRun: string) => Promise<PublishResult>;
  /** Runs once the command has ended, before anything is published (e.g. stops the mocks it used). */
  afterCommand?: () => Promise<void>;
}

export interface RecordRunResult {
  /** The command's exit code (128 + the signal number when a signal ended it). */
  exitCode: number;
  /** What was published; undefined when the command failed and `always` was not set. */
  published?: PublishResult;
}

/** The variables a recording child process gets: mocks it starts record into `pendingDir`, tagged with `testRun`. */
export function recordingEnv(
  env: Record<string, string | undefined>,
  pendingDir: string,
  testRun: string,
): Record<string, string | undefined> {
  return { ...env, ENTENTE_RECORD: 'true', ENTENTE_PENDING_DIR: pendingDir, ENTENTE_TEST_RUN: testRun };
}

export async function recordRun(options: RecordRunOptions): Promise<RecordRunResult> {
  const exitCode = await runCommand(options);
  await options.afterCommand?.();
  if (exitCode !== 0 && !options.always) return { exitCode };
  return { exitCode, published: await options.publish(options.testRun) };
}

function runCommand(options: RecordRunOptions): Promise<number> {
  const [program, ...args] = options.command;
  if (program === undefined) {
    throw new InputError('input.command-missing', 'no command to run: put it after `--`', {
      details: [{ where: 'command', message: 'e.g. entente record -- npm test' }],
    });
  }
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, {
      cwd: options.cwd,
      env: recordingEnv(options.env, options.pendingDir, options.testRun),
      stdio: ['inherit', options.stdout === 'stderr' ? process.stderr : 'inherit', 'inherit'],
    });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    const stopForwarding = () => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
    };
    child.once('error', (error: NodeJS.ErrnoException) => {
      stopForwarding();
      reject(
        error.code === 'ENOENT'
          ? new InputError('input.command-not-found', `command not found: ${program}`, {
              details: [{ where: 'command', message: `${program} is not on PATH` }],
            })
          : error,
      );
    });
    child.once('close', (code, signal) => {
      stopForwarding();
      resolve(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0));
    });
  });
}
