/**
 * Body paths: how a contract names the parts of a response body a consumer
 * relies on (`reliesOn`) or pins (`pins`).
 *
 * Syntax: field names separated by dots, `[]` for "every element" of an
 * array: `available`, `items[].stock`, `[].name` (a top-level array),
 * `a.b[].c`, `matrix[][]`. A name containing `.`, `[`, `]` or `"` (or an
 * empty name) is written as a JSON string: `"a.b".c`. The empty path `''` is
 * the whole body.
 *
 * Concrete locations (one element, not every element) are written the way
 * mismatches report them: `$`, `$.items[0].stock`, `$["a.b"]`.
 */
import { InputError } from '../errors.js';

export type BodyPathSegment = { kind: 'field'; name: string } | { kind: 'every' };
export type BodyPath = BodyPathSegment[];

/** One step of a concrete location: a field name or an array index. */
export type LocationStep = string | number;

const PLAIN_NAME = /^[^.[\]"]+$/;

/** Parses a body path; throws InputError naming the path and the problem. */
export function parseBodyPath(text: string): BodyPath {
  const segments: BodyPath = [];
  let i = 0;
  const fail = (what: string): never => {
    throw new InputError(
      'input.body-path',
      `Body path ${JSON.stringify(text)} is not valid: ${what} at character ${i + 1}. Expected field names separated by '.', '[]' for every array element, and names with '.', '[', ']' or '"' written as JSON strings (e.g. items[].stock, "a.b".c).`,
    );
  };
  // Whether a field name may start here: at the beginning, or after a '.'.
  let expectName = true;
  while (i < text.length) {
    const char = text[i];
    if (char === '[') {
      if (text[i + 1] !== ']') fail("'[' must be followed by ']' (indices are not allowed)");
      segments.push({ kind: 'every' });
      i += 2;
      expectName = false;
      continue;
    }
    if (char === '.') {
      if (expectName) fail("a field name is missing before '.'");
      i += 1;
      expectName = true;
      if (i === text.length) fail("a field name is missing after '.'");
      continue;
    }
    if (!expectName) fail(`'.' or '[]' expected before ${JSON.stringify(char)}`);
    if (char === '"') {
      const end = closingQuote(text, i);
      if (end < 0) fail('the quoted name is not terminated');
      let name: unknown;
      try {
        name = JSON.parse(text.slice(i, end + 1));
      } catch {
        fail('the quoted name is not a valid JSON string');
      }
      segments.push({ kind: 'field', name: name as string });
      i = end + 1;
    } else {
      let end = i;
      while (end < text.length && !'.[]"'.includes(text[end]!)) end += 1;
      if (end === i) fail(`unexpected ${JSON.stringify(char)}`);
      segments.push({ kind: 'field', name: text.slice(i, end) });
      i = end;
    }
    expectName = false;
  }
  return segments;
}

/** The index of the quote closing the JSON string that opens at `start`, or -1. */
function closingQuote(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i += 1) {
    if (text[i] === '\\') i += 1;
    else if (text[i] === '"') return i;
  }
  return -1;
}

/** Writes a body path in its canonical text form (the inverse of parseBodyPath). */
export function formatBodyPath(path: BodyPath): string {
  let out = '';
  for (const segment of path) {
    if (segment.kind === 'every') {
      out += '[]';
      continue;
    }
    if (out !== '') out += '.';
    out += PLAIN_NAME.test(segment.name) ? segment.name : JSON.stringify(segment.name);
  }
  return out;
}

/** Whether `prefix` is `path` itself or one of its ancestors. */
export function isBodyPathPrefix(prefix: BodyPath, path: BodyPath): boolean {
  if (prefix.length > path.length) return false;
  return prefix.every((segment, index) => sameSegment(segment, path[index]!));
}

function sameSegment(a: BodyPathSegment, b: BodyPathSegment): boolean {
  return a.kind === 'every' ? b.kind === 'every' : b.kind === 'field' && a.name === b.name;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A concrete location as mismatches report it: `$`, `$.items[0].stock`, `$["a.b"]`. */
export function formatLocation(steps: readonly LocationStep[]): string {
  let out = '$';
  for (const step of steps) {
    if (typeof step === 'number') out += `[${step}]`;
    else out += IDENTIFIER.test(step) ? `.${step}` : `[${JSON.stringify(step)}]`;
  }
  return out;
}

/** The body path a concrete location belongs to: indices become `[]`. */
export function generalizeLocation(steps: readonly LocationStep[]): BodyPath {
  return steps.map((step) => (typeof step === 'number' ? { kind: 'every' } : { kind: 'field', name: step }));
}
