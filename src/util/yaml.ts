/**
 * The YAML parser, in a module of its own: src/util/parse.ts loads it only
 * when the text is YAML.
 */
import { parseDocument } from 'yaml';
import { InputError } from '../errors.js';
import { assertDepth, tooDeep } from './parse.js';

/**
 * At most this many alias dereferences per document: YAML "billion laughs"
 * documents are refused at once instead of eating memory.
 */
const MAX_ALIAS_COUNT = 100;

export function parseYaml(text: string, file: string): unknown {
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  } catch (error) {
    if (error instanceof RangeError) throw tooDeep(file);
    throw error;
  }
  if (doc.errors.length > 0) {
    const details = doc.errors.map((error) => {
      const position = error.linePos?.[0];
      const where = position ? `${file}:${position.line}:${position.col}` : file;
      return { where, message: firstLine(error.message) };
    });
    const more = details.length > 1 ? ` (and ${details.length - 1} more)` : '';
    throw new InputError(
      'input.yaml',
      `${details[0]!.where}: not valid YAML or JSON: ${details[0]!.message}${more}`,
      { details },
    );
  }
  try {
    return assertDepth(doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }), file);
  } catch (cause) {
    if (cause instanceof InputError) throw cause;
    if (cause instanceof RangeError) throw tooDeep(file);
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
