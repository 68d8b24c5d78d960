/**
 * The exit codes every command uses, and the errors that map to them.
 *
 * Problems found *in contracts* (a failed verification, a breaking change) are
 * data, not exceptions: commands turn them into exit code 1 themselves. The
 * errors here are for when entente cannot do what was asked.
 */
export const ExitCode = {
  /** Success; safe to deploy. */
  Ok: 0,
  /** A contract problem was found: verification failed, breaking change, cannot deploy. */
  ContractProblem: 1,
  /** Unknown: a needed verification has not happened yet. */
  Unknown: 2,
  /** Bad input, usage or configuration; the message says what and where. */
  BadInput: 3,
  /** Git or I/O failure. */
  GitOrIo: 4,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface ErrorDetail {
  /** Where the problem is: a file, a JSON pointer, a flag, an environment variable. */
  where?: string;
  message: string;
}

export abstract class EntenteError extends Error {
  abstract readonly exitCode: ExitCode;
  /** A stable identifier, e.g. `input.service-name`, for scripts and tests. */
  readonly code: string;
  readonly details: ErrorDetail[];
  /** What to do about it, when the message alone does not say (e.g. the usage line). */
  readonly hint: string | undefined;

  constructor(
    code: string,
    message: string,
    options: { details?: ErrorDetail[]; hint?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options.details ?? [];
    this.hint = options.hint;
  }
}

/** A flag, argument, file or field given by the user is wrong. Exit 3. */
export class InputError extends EntenteError {
  readonly exitCode = ExitCode.BadInput;
}

/** Configuration (`.entente.yml`, `ENTENTE_*`, the contracts repo's `entente.yml`) is wrong. Exit 3. */
export class ConfigError extends EntenteError {
  readonly exitCode = ExitCode.BadInput;
}

/** A record in the contracts repository does not match its schema. Exit 3. */
export class RecordError extends EntenteError {
  readonly exitCode = ExitCode.BadInput;
}

/** Git failed: not a repository, unreachable remote, rejected push after every retry. Exit 4. */
export class GitError extends EntenteError {
  readonly exitCode = ExitCode.GitOrIo;
}

/** Reading or writing a file, or a network call, failed. Exit 4. */
export class IoError extends EntenteError {
  readonly exitCode = ExitCode.GitOrIo;
}

export function isEntenteError(error: unknown): error is EntenteError {
  return error instanceof EntenteError;
}

/** The exit code for anything thrown: entente's own errors carry theirs; anything else is a bug or I/O. */
export function exitCodeOf(error: unknown): ExitCode {
  if (isEntenteError(error)) return error.exitCode;
  return ExitCode.GitOrIo;
}
