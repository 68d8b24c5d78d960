/**
 * Reference cycles no finite value can satisfy (`A: {$ref: B}`, `B: {$ref: A}`),
 * which would make the mock, the validators and the samplers recurse
 * forever: refused when a spec is published, and looked for again whenever
 * a stored spec is read back (specs stored by older versions of entente
 * were not refused for them).
 */
import { decodeSegment, encodeSegment, forEachRef, resolveFragment } from './openapi-walk.js';

export interface CycleProblem {
  pointer: string;
  message: string;
}

/**
 * The endless cycles of an OpenAPI 3 document, one per cycle, looked for from
 * every internal `$ref` target (a cycle cannot be made of nesting alone, so it
 * passes through one): about 0.2 s on GitHub's 13 MB spec.
 */
export function endlessReferenceCycles(document: unknown): CycleProblem[] {
  const targets = new Set<string>();
  forEachRef(document, 'openapi-3', ({ ref }) => {
    if (ref.startsWith('#')) targets.add(normalizePointer(ref.slice(1)));
  });
  return endlessCycleProblems(document, [...targets]);
}

/**
 * `$ref` chains and schemas that must contain themselves: following `$ref`,
 * `allOf`, a single `anyOf`/`oneOf` branch, required properties and the
 * items of arrays with `minItems` ≥ 1 comes back to where it started, with
 * no `null` allowed on the way. One problem per cycle, at the first `$ref`
 * met in document order.
 */
export function endlessCycleProblems(document: unknown, refSites: readonly string[]): CycleProblem[] {
  const problems: CycleProblem[] = [];
  /** Pointers known to lead to no endless cycle, or to one already reported. */
  const settled = new Set<string>();
  for (const site of refSites) {
    if (settled.has(site)) continue;
    const cycle = findCycle(document, site, settled);
    if (cycle) {
      for (const pointer of cycle) settled.add(pointer);
      problems.push({
        pointer: site,
        message: `is a reference cycle no finite value can satisfy: ${cycle.map((p) => `#${p}`).join(' → ')}`,
      });
    }
  }
  return problems;
}

/**
 * Depth-first from `start` along `mustContain`, with an explicit stack: a
 * long chain of schemas (each requiring the next) cannot overflow the call stack.
 */
function findCycle(document: unknown, start: string, settled: Set<string>): string[] | undefined {
  if (settled.has(start)) return undefined;
  const path: string[] = [start];
  const onPath = new Set<string>(path);
  const pending: string[][] = [mustContain(resolveFragment(document, start), start)];
  while (pending.length > 0) {
    const next = pending[pending.length - 1]!.shift();
    if (next === undefined) {
      pending.pop();
      const done = path.pop()!;
      onPath.delete(done);
      settled.add(done);
      continue;
    }
    if (onPath.has(next)) return [...path.slice(path.indexOf(next)), next];
    if (settled.has(next)) continue;
    path.push(next);
    onPath.add(next);
    pending.push(mustContain(resolveFragment(document, next), next));
  }
  return undefined;
}

/** Pointers of what every value of the node at `pointer` must also satisfy, down to a value nested in it. */
function mustContain(node: unknown, pointer: string): string[] {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return [];
  const schema = node as Record<string, unknown>;
  if (schema.nullable === true) return [];
  if (Array.isArray(schema.type) && schema.type.includes('null')) return [];
  const next: string[] = [];
  if (typeof schema.$ref === 'string' && schema.$ref.startsWith('#')) {
    next.push(normalizePointer(schema.$ref.slice(1)));
  }
  if (Array.isArray(schema.allOf)) {
    for (let i = 0; i < schema.allOf.length; i++) next.push(`${pointer}/allOf/${i}`);
  }
  for (const key of ['anyOf', 'oneOf']) {
    const branches = schema[key];
    if (Array.isArray(branches) && branches.length === 1) next.push(`${pointer}/${key}/0`);
  }
  const properties = schema.properties;
  if (Array.isArray(schema.required) && properties && typeof properties === 'object') {
    for (const name of schema.required) {
      if (typeof name === 'string' && Object.hasOwn(properties, name)) {
        next.push(`${pointer}/properties/${encodeSegment(name)}`);
      }
    }
  }
  if (
    typeof schema.minItems === 'number' &&
    schema.minItems >= 1 &&
    schema.items &&
    !Array.isArray(schema.items)
  ) {
    next.push(`${pointer}/items`);
  }
  return next;
}

/** A `$ref` fragment (its segments maybe percent-encoded) as a plain JSON pointer. */
function normalizePointer(fragment: string): string {
  return fragment
    .split('/')
    .map((segment) => encodeSegment(decodeSegment(segment)))
    .join('/');
}
