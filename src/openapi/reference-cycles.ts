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
 * no `null` allowed on the way. One problem per cycle, at the first site
 * met in document order. A site may bring the node there (`holder`), saving
 * a lookup from the root.
 */
export function endlessCycleProblems(
  document: unknown,
  sites: readonly (string | { pointer: string; holder?: unknown })[],
): CycleProblem[] {
  const problems: CycleProblem[] = [];
  const walk = new CycleWalk(document);
  for (const entry of sites) {
    const site = typeof entry === 'string' ? entry : entry.pointer;
    if (walk.settled.has(site)) continue;
    const node =
      typeof entry === 'string' || entry.holder === undefined
        ? resolveFragment(document, site)
        : entry.holder;
    const cycle = walk.findCycle([site, node]);
    if (cycle) {
      for (const pointer of cycle) walk.settled.add(pointer);
      problems.push({
        pointer: site,
        message: `is a reference cycle no finite value can satisfy: ${cycle.map((p) => `#${p}`).join(' → ')}`,
      });
    }
  }
  return problems;
}

/** A pointer and the node there (found from its parent, or by resolving a `$ref` once). */
type Step = [pointer: string, node: unknown];

class CycleWalk {
  /** Pointers known to lead to no endless cycle, or to one already reported. */
  readonly settled = new Set<string>();
  /** Each `$ref` string's target, resolved once: GitHub's spec has ~50,000 refs to ~1,000 targets. */
  private readonly refTargets = new Map<string, Step>();

  constructor(private readonly document: unknown) {}

  /**
   * Depth-first from `start` along `mustContain`, with an explicit stack: a
   * long chain of schemas (each requiring the next) cannot overflow the call stack.
   */
  findCycle(start: Step): string[] | undefined {
    const { settled } = this;
    if (settled.has(start[0])) return undefined;
    const path: string[] = [start[0]];
    const onPath = new Set<string>(path);
    const pending: Step[][] = [this.mustContain(start[1], start[0])];
    while (pending.length > 0) {
      const next = pending[pending.length - 1]!.shift();
      if (next === undefined) {
        pending.pop();
        const done = path.pop()!;
        onPath.delete(done);
        settled.add(done);
        continue;
      }
      const [pointer, node] = next;
      if (onPath.has(pointer)) return [...path.slice(path.indexOf(pointer)), pointer];
      if (settled.has(pointer)) continue;
      path.push(pointer);
      onPath.add(pointer);
      pending.push(this.mustContain(node, pointer));
    }
    return undefined;
  }

  /** What every value of `node` (at `pointer`) must also satisfy, down to a value nested in it. */
  private mustContain(node: unknown, pointer: string): Step[] {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return [];
    const schema = node as Record<string, unknown>;
    if (schema.nullable === true) return [];
    if (Array.isArray(schema.type) && schema.type.includes('null')) return [];
    const next: Step[] = [];
    if (typeof schema.$ref === 'string' && schema.$ref.startsWith('#')) {
      const ref = schema.$ref;
      let target = this.refTargets.get(ref);
      if (!target) {
        const normalized = normalizePointer(ref.slice(1));
        target = [normalized, resolveFragment(this.document, normalized)];
        this.refTargets.set(ref, target);
      }
      next.push(target);
    }
    if (Array.isArray(schema.allOf)) {
      for (let i = 0; i < schema.allOf.length; i++) next.push([`${pointer}/allOf/${i}`, schema.allOf[i]]);
    }
    for (const key of ['anyOf', 'oneOf']) {
      const branches = schema[key];
      if (Array.isArray(branches) && branches.length === 1) next.push([`${pointer}/${key}/0`, branches[0]]);
    }
    const properties = schema.properties;
    if (Array.isArray(schema.required) && properties && typeof properties === 'object') {
      for (const name of schema.required) {
        if (typeof name === 'string' && Object.hasOwn(properties, name)) {
          next.push([
            `${pointer}/properties/${encodeSegment(name)}`,
            (properties as Record<string, unknown>)[name],
          ]);
        }
      }
    }
    if (
      typeof schema.minItems === 'number' &&
      schema.minItems >= 1 &&
      schema.items &&
      !Array.isArray(schema.items)
    ) {
      next.push([`${pointer}/items`, schema.items]);
    }
    return next;
  }
}

/** A `$ref` fragment (its segments maybe percent-encoded) as a plain JSON pointer. */
function normalizePointer(fragment: string): string {
  return fragment
    .split('/')
    .map((segment) => encodeSegment(decodeSegment(segment)))
    .join('/');
}
