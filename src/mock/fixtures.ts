/**
 * Choosing the fixture that answers a request, and what a partial fixture
 * means for the response and for what the consumer relies on. Pure.
 */
import type { FixtureRecord } from '../model/records.js';
import { canonicalJson } from '../util/canonical-json.js';

/** A fixture as the mock uses it: where it came from decides whether it must be approved. */
export interface CandidateFixture {
  fixture: FixtureRecord;
  /** Local fixtures count as approved and default to priority 3. */
  local: boolean;
}

export interface FixtureRequest {
  method: string;
  /** The concrete path as requested (with the servers base path, if any). */
  path: string;
  /** The same path relative to the servers base path. */
  relativePath: string;
  /** The path template the router matched, e.g. `/castles/{id}`. */
  template: string;
  operationId?: string;
  operationKey: string;
  query: Record<string, string | string[]>;
  body: unknown;
}

/**
 * The fixture to serve, or undefined. Only approved fixtures (and every
 * local one) take part. A fixture matches by operation, method, path (the
 * concrete path, or the template), every query parameter it lists, and its
 * request body when it has one. Order: priority (higher first), then an
 * exact path before a templated one, then the more specific (more query
 * parameters, a body), then the id, so the choice never depends on load order.
 */
export function selectFixture(
  candidates: readonly CandidateFixture[],
  request: FixtureRequest,
  options: { status?: number } = {},
): FixtureRecord | undefined {
  const ranked: { fixture: FixtureRecord; priority: number; exact: boolean; specificity: number }[] = [];
  for (const { fixture, local } of candidates) {
    if (!local && fixture.status !== 'approved') continue;
    if (local && (fixture.status === 'rejected' || fixture.status === 'deprecated')) continue;
    if (fixture.operation !== request.operationId && fixture.operation !== request.operationKey) continue;
    const wanted = fixture.data.request;
    if (wanted.method.toUpperCase() !== request.method.toUpperCase()) continue;
    const exact = wanted.path === request.path || wanted.path === request.relativePath;
    if (!exact && wanted.path !== request.template) continue;
    if (!queryMatches(wanted.query, request.query)) continue;
    if (wanted.body !== undefined && canonicalJson(wanted.body) !== canonicalJson(request.body)) continue;
    if (options.status !== undefined && fixture.data.response.status !== options.status) continue;
    ranked.push({
      fixture,
      priority: local ? Math.max(3, fixture.priority) : fixture.priority,
      exact,
      specificity: Object.keys(wanted.query ?? {}).length + (wanted.body === undefined ? 0 : 1),
    });
  }
  ranked.sort(
    (a, b) =>
      b.priority - a.priority ||
      Number(b.exact) - Number(a.exact) ||
      b.specificity - a.specificity ||
      (a.fixture.id < b.fixture.id ? -1 : a.fixture.id > b.fixture.id ? 1 : 0),
  );
  return ranked[0]?.fixture;
}

function queryMatches(
  wanted: Record<string, string | string[]> | undefined,
  actual: Record<string, string | string[]>,
): boolean {
  for (const [key, value] of Object.entries(wanted ?? {})) {
    const got = actual[key];
    if (got === undefined) return false;
    const expected = Array.isArray(value) ? value : [value];
    const received = Array.isArray(got) ? got : [got];
    if (expected.length !== received.length || expected.some((v, i) => v !== received[i])) return false;
  }
  return true;
}

/**
 * A partial fixture's body laid over a generated sample: the consumer sees a
 * complete response, with the fixture's values wherever the fixture has them.
 * Array elements are each laid over the sample's first element.
 */
export function overlay(sample: unknown, partial: unknown): unknown {
  if (Array.isArray(partial)) {
    const template = Array.isArray(sample) ? sample[0] : undefined;
    return partial.map((item) => overlay(template, item));
  }
  if (isPlainObject(partial) && isPlainObject(sample)) {
    const out: Record<string, unknown> = { ...sample };
    for (const [key, value] of Object.entries(partial)) out[key] = overlay(sample[key], value);
    return out;
  }
  return partial;
}

/**
 * The field paths a body lists, in the notation of an interaction's
 * `reliesOn`: `name`, `owner.email`, `towers[].height`, `[].id`. Only leaves
 * (and empty objects/arrays) are listed: a leaf implies its parents.
 */
export function fieldPaths(body: unknown): string[] {
  const paths = new Set<string>();
  const walk = (value: unknown, path: string) => {
    if (Array.isArray(value)) {
      if (value.length === 0 && path) paths.add(path);
      for (const item of value) walk(item, `${path}[]`);
    } else if (isPlainObject(value)) {
      const entries = Object.entries(value);
      if (entries.length === 0 && path) paths.add(path);
      for (const [key, child] of entries) walk(child, path ? `${path}.${key}` : key);
    } else if (path) {
      paths.add(path);
    }
  };
  walk(body, '');
  return [...paths];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
