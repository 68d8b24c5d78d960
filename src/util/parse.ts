import { parseDocument } from 'yaml';
import { InputError } from '../errors.js';

/**
 * At most this many alias dereferences per document: YAML "billion laughs"
 * documents are refused at once instead of eating memory.
 */
const MAX_ALIAS_COUNT = 100;

/**
 * Parses JSON or YAML text (JSON when it starts with `{` or `[`). Errors name
 * the file and the line and column.
 */
export function parseJsonOrYaml(text: string, file: string): unknown {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.parse(text);
    } catch {
      // Not strict JSON (comments, trailing commas, YAML flow style): YAML parses it or reports where.
    }
  }
  return parseYaml(text, file);
}

export function parseYaml(text: string, file: string): unknown {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const error = doc.errors[0];
  if (error) {
    const [line, col] = error.linePos?.[0]
      ? [error.linePos[0].line, error.linePos[0].col]
      : [undefined, undefined];
    const where = line === undefined ? file : `${file}:${line}:${col}`;
    throw new InputError('input.yaml', `${where}: not valid YAML or JSON: ${firstLine(error.message)}`, {
      details: [{ where, message: firstLine(error.message) }],
    });
  }
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new InputError('input.yaml', `${file}: refused: ${firstLine(message)}`, {
      details: [{ where: file, message }],
      cause,
    });
  }
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
