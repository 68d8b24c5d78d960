import pc from 'picocolors';
import type { EntenteError } from '../errors.js';
import { redactStrings } from '../redact/redact.js';
import { redactShapes } from '../redact/shapes.js';
import type { Colors } from '../render/table.js';

export interface Output {
  json: boolean;
  colors: Colors;
  /** A line for people, on stdout (suppressed with --json). */
  line(text?: string): void;
  /** A warning, on stderr. */
  warn(text: string): void;
  /** Machine output, on stdout, only with --json. */
  data(value: unknown): void;
  /** Whether stdout is an interactive terminal (progress is only shown there, never with --json). */
  interactive: boolean;
  error(error: EntenteError): void;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** Every line, warning, error and `--json` value loses credential shapes and URL credentials on the way out. */
export function createOutput(options: {
  json: boolean;
  color: boolean;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
}): Output {
  const colors = pc.createColors(options.color);
  const interactive = Boolean(options.stdout.isTTY) && !options.json;
  return {
    json: options.json,
    colors,
    interactive,
    stdout: options.stdout,
    stderr: options.stderr,
    line(text = '') {
      if (!options.json) options.stdout.write(`${redactShapes(text)}\n`);
    },
    warn(text) {
      options.stderr.write(`${colors.yellow('entente: warning:')} ${redactShapes(text)}\n`);
    },
    data(value) {
      if (options.json) options.stdout.write(`${JSON.stringify(redactStrings(value), null, 2)}\n`);
    },
    error(error) {
      const message = redactShapes(error.message);
      const details = redactStrings(error.details) as EntenteError['details'];
      const hint = error.hint === undefined ? undefined : redactShapes(error.hint);
      if (options.json) {
        const { code, exitCode } = error;
        options.stdout.write(
          `${JSON.stringify({ error: { code, message, details, hint, exitCode } }, null, 2)}\n`,
        );
      }
      const safe = {
        ...error,
        code: error.code,
        message,
        details,
        hint,
        exitCode: error.exitCode,
      } as EntenteError;
      options.stderr.write(`${renderError(safe, colors)}\n`);
    },
  };
}

/**
 * An error for people: the message, every detail it does not already say (the
 * first detail often repeats the message; the others are where and what to do),
 * and the hint.
 */
export function renderError(error: EntenteError, colors: Colors): string {
  const lines = [`${colors.red('entente: error:')} ${error.message}`];
  const details = error.details.filter(
    (detail) =>
      !error.message.includes(detail.message) || (detail.where && !error.message.includes(detail.where)),
  );
  for (const detail of details.slice(0, 20))
    lines.push(`  ${detail.where ? `${detail.where}: ` : ''}${detail.message}`);
  if (details.length > 20) lines.push(`  … and ${details.length - 20} more`);
  if (error.hint) lines.push(error.hint);
  return lines.join('\n');
}
