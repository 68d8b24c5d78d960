/**
 * Pact matching rules as data: the V2 form (`$.body.a` → `{ match, … }`)
 * turned into V3/V4 categories, rule paths parsed, and the rule set that
 * applies to a place in a body chosen the way the Pact specification says
 * (weighted paths; a rule cascades to everything beneath its path).
 */
import { isPlainObject } from '../contract/relies-on.js';
import { InputError } from '../errors.js';

/** One matcher as written in a pact file (`{ match: 'regex', regex: '…' }`); V2 forms are normalized. */
export type Matcher = Record<string, unknown> & { match: string };

export interface RuleSet {
  combine: 'AND' | 'OR';
  matchers: Matcher[];
}

/** A rule path's steps after `$`: a field name, an index, or `*` (any field or element). */
export type RuleToken = { kind: 'field'; name: string } | { kind: 'index'; index: number } | { kind: 'star' };

export interface PathRule {
  path: string;
  tokens: RuleToken[];
  rules: RuleSet;
}

/** Matching rules of one side of an interaction, by category, V3/V4 form. */
export type Categories = Record<string, unknown>;

const CATEGORY_OF_V2: Record<string, string> = { body: 'body', headers: 'header', query: 'query' };

/**
 * V2 matching rules (`{ "$.body.name": { "match": "type" } }`) as V3
 * categories (`{ body: { "$.name": { combine: "AND", matchers: [...] } } }`);
 * V3/V4 rules are returned as they are. `where` names the place for errors.
 */
export function toV3Categories(rules: unknown, where: string): Categories | undefined {
  if (rules === undefined) return undefined;
  if (!isPlainObject(rules)) throw invalid(where, 'expected an object');
  const keys = Object.keys(rules);
  if (!keys.some((key) => key.startsWith('$'))) return rules;
  const out: Record<string, Record<string, unknown>> = {};
  for (const [path, matcher] of Object.entries(rules)) {
    const match = /^\$\.(body|headers|query|path)(.*)$/.exec(path);
    if (!match)
      throw invalid(`${where}["${path}"]`, 'a V2 rule path starts with $.body, $.headers, $.query or $.path');
    const [, part, rest] = match as unknown as [string, string, string];
    if (part === 'path') {
      out.path = { combine: 'AND', matchers: [matcher] };
      continue;
    }
    const category = CATEGORY_OF_V2[part]!;
    const key = part === 'body' ? `$${rest}` : rest.replace(/^\.|^\['|'\]$/g, '');
    out[category] ??= {};
    out[category][key] = { combine: 'AND', matchers: [matcher] };
  }
  return out;
}

/** A rule set as written (`{ combine, matchers }`, or a bare matcher in V2 style) normalized; InputError otherwise. */
export function parseRuleSet(value: unknown, where: string): RuleSet {
  if (!isPlainObject(value)) throw invalid(where, 'expected an object');
  if (!Array.isArray(value.matchers)) return { combine: 'AND', matchers: [normalizeMatcher(value, where)] };
  const combine = value.combine ?? 'AND';
  if (combine !== 'AND' && combine !== 'OR') throw invalid(`${where}.combine`, 'expected AND or OR');
  return {
    combine,
    matchers: value.matchers.map((m, i) => normalizeMatcher(m, `${where}.matchers[${i}]`)),
  };
}

/** V2 matchers may leave `match` out: `{ regex }` is a regex matcher, `{ min }` / `{ max }` a type matcher. */
export function normalizeMatcher(value: unknown, where: string): Matcher {
  if (!isPlainObject(value)) throw invalid(where, 'expected a matcher object');
  if (typeof value.match === 'string') return value as Matcher;
  if (value.match !== undefined) throw invalid(`${where}.match`, 'expected a string');
  if (typeof value.regex === 'string') return { ...value, match: 'regex' };
  if (value.min !== undefined || value.max !== undefined) return { ...value, match: 'type' };
  throw invalid(where, 'a matcher needs "match" (or "regex", "min", "max" in V2 form)');
}

/** The rules of a keyed category (body, header, query) as path rules; a rule set straight under the category applies at `$`. */
export function pathRules(category: unknown, where: string): PathRule[] {
  if (category === undefined) return [];
  if (!isPlainObject(category)) throw invalid(where, 'expected an object');
  if (Array.isArray(category.matchers))
    return [{ path: '$', tokens: [], rules: parseRuleSet(category, where) }];
  return Object.entries(category).map(([path, rules]) => ({
    path,
    tokens: parseRulePath(path, `${where}["${path}"]`),
    rules: parseRuleSet(rules, `${where}["${path}"]`),
  }));
}

/** `$.a.b[0].*`, `$['a b'][*]`, and a bare name (header and query categories) as tokens. */
export function parseRulePath(path: string, where: string): RuleToken[] {
  if (!path.startsWith('$')) return [{ kind: 'field', name: path }];
  const tokens: RuleToken[] = [];
  let i = 1;
  while (i < path.length) {
    const char = path[i];
    if (char === '.') {
      const match = /^[^.[\]]+/.exec(path.slice(i + 1));
      if (!match) throw invalid(where, `a name is missing after '.' at character ${i + 1}`);
      tokens.push(match[0] === '*' ? { kind: 'star' } : { kind: 'field', name: match[0] });
      i += 1 + match[0].length;
      continue;
    }
    if (char === '[') {
      const rest = path.slice(i);
      const quoted = /^\[(['"])(.*?)\1\]/.exec(rest);
      const plain = /^\[(\*|\d+)\]/.exec(rest);
      if (quoted) {
        tokens.push({ kind: 'field', name: quoted[2]! });
        i += quoted[0].length;
      } else if (plain) {
        tokens.push(plain[1] === '*' ? { kind: 'star' } : { kind: 'index', index: Number(plain[1]) });
        i += plain[0].length;
      } else {
        throw invalid(where, `expected [n], [*] or ['name'] at character ${i + 1}`);
      }
      continue;
    }
    throw invalid(where, `unexpected ${JSON.stringify(char)} at character ${i + 1}`);
  }
  return tokens;
}

/** Where a value is in a body: field names and array indices. */
export type Step = string | number;

/**
 * The weight of a rule path for a place (0: it does not apply). `$` weighs
 * 2, a matching name or index 2, a `*` 1, multiplied; a rule path shorter than
 * the place applies to it (rules cascade to children).
 */
export function pathWeight(tokens: readonly RuleToken[], steps: readonly Step[]): number {
  if (tokens.length > steps.length) return 0;
  let weight = 2;
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i]!;
    const step = steps[i]!;
    if (token.kind === 'star') weight *= 1;
    else if (token.kind === 'field' && token.name === step) weight *= 2;
    else if (token.kind === 'index' && token.index === step) weight *= 2;
    else return 0;
  }
  return weight;
}

export interface SelectedRules {
  rule: PathRule;
  /** The rule was written for a parent of this place (cascaded). */
  inherited: boolean;
}

/** The rule set with the heaviest path for the place (the longest on a tie); undefined when none applies. */
export function selectRules(rules: readonly PathRule[], steps: readonly Step[]): SelectedRules | undefined {
  let best: PathRule | undefined;
  let bestWeight = 0;
  for (const rule of rules) {
    const weight = pathWeight(rule.tokens, steps);
    if (
      weight > bestWeight ||
      (weight > 0 && weight === bestWeight && best && rule.tokens.length > best.tokens.length)
    ) {
      best = rule;
      bestWeight = weight;
    }
  }
  return best ? { rule: best, inherited: best.tokens.length < steps.length } : undefined;
}

function invalid(where: string, message: string): InputError {
  return new InputError('input.pact', `${where}: ${message}`, { details: [{ where, message }] });
}
