/**
 * Checks the official OpenAPI schemas leave out: the Schema Objects of an
 * OpenAPI 3.1 document against the JSON Schema 2020-12 meta-schema
 * (`type: integr` is refused), and reference cycles no finite value can
 * satisfy (`A: {$ref: B}`, `B: {$ref: A}`), which would make the mock and
 * the validators recurse forever.
 */
import type { ErrorObject } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { childKind, decodeSegment, encodeSegment, type NodeKind, resolveFragment } from './openapi-walk.js';

export interface SchemaProblem {
  pointer: string;
  message: string;
}

let metaValidator: Ajv2020 | undefined;

/** Schema Objects of an OpenAPI 3.1 document that are not valid JSON Schema 2020-12, each error with its pointer. */
export function schemaObjectProblems(document: unknown): {
  pointer: string;
  errors: ErrorObject[];
}[] {
  metaValidator ??= new Ajv2020({ allErrors: true, strict: false, logger: false, validateFormats: false });
  const ajv = metaValidator;
  const found: { pointer: string; errors: ErrorObject[] }[] = [];
  forEachRootSchema(document, (schema, pointer) => {
    if (typeof schema === 'boolean') return;
    const dialect = (schema as Record<string, unknown>).$schema;
    // Another dialect is the author's choice; entente only knows 2020-12 (OpenAPI 3.1's default).
    if (typeof dialect === 'string' && !/2020-12|oas\/3\.1/.test(dialect)) return;
    if (!ajv.validateSchema(schema as object)) {
      found.push({
        pointer,
        errors: (ajv.errors ?? []).map((error) => ({
          ...error,
          instancePath: `${pointer}${error.instancePath}`,
        })),
      });
    }
  });
  return found;
}

/** Calls `visit` for every Schema Object whose parent is not a schema (the meta-schema checks the ones below). */
function forEachRootSchema(document: unknown, visit: (schema: unknown, pointer: string) => void): void {
  const walk = (node: unknown, kind: NodeKind, pointer: string): void => {
    if (kind === 'data' || node === null || typeof node !== 'object') return;
    if (kind === 'schema') {
      visit(node, pointer);
      return;
    }
    if (Array.isArray(node)) {
      node.forEach((item, index) => {
        walk(item, kind, `${pointer}/${index}`);
      });
      return;
    }
    for (const [key, value] of Object.entries(node)) {
      walk(value, childKind('openapi-3', kind, key), `${pointer}/${encodeSegment(key)}`);
    }
  };
  walk(document, 'root', '');
}

/**
 * `$ref` chains and schemas that must contain themselves: following `$ref`,
 * `allOf`, a single `anyOf`/`oneOf` branch, required properties and the
 * items of arrays with `minItems` ≥ 1 comes back to where it started, with
 * no `null` allowed on the way. One problem per cycle, at the first `$ref`
 * met in document order.
 */
export function endlessCycleProblems(
  document: unknown,
  refSites: readonly { pointer: string; holder?: unknown }[],
): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  /** Pointers known to lead to no endless cycle, or to one already reported. */
  const settled = new Set<string>();
  const walk = new CycleWalk(document, settled);
  for (const { pointer: site, holder } of refSites) {
    if (settled.has(site)) continue;
    const cycle = walk.findCycle(site, holder ?? resolveFragment(document, site));
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

/** A pointer and the node there (found from its parent, or by resolving a `$ref` once). */
type Step = [pointer: string, node: unknown];

class CycleWalk {
  private readonly stack: string[] = [];
  private readonly onStack = new Set<string>();
  /** Each `$ref` string's target, resolved once: GitHub's spec has ~50,000 refs to ~1,000 targets. */
  private readonly refTargets = new Map<string, Step>();

  constructor(
    private readonly document: unknown,
    private readonly settled: Set<string>,
  ) {}

  findCycle(pointer: string, node: unknown): string[] | undefined {
    const { stack, onStack, settled } = this;
    if (onStack.has(pointer)) return [...stack.slice(stack.indexOf(pointer)), pointer];
    if (settled.has(pointer)) return undefined;
    stack.push(pointer);
    onStack.add(pointer);
    for (const [next, nextNode] of this.mustContain(node, pointer)) {
      const cycle = this.findCycle(next, nextNode);
      if (cycle) return cycle;
    }
    stack.pop();
    onStack.delete(pointer);
    settled.add(pointer);
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
        const normalized = ref.slice(1).split('/').map(normalizeSegment).join('/');
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

/** A `$ref` fragment's segment (maybe percent-encoded) as a plain JSON pointer segment. */
function normalizeSegment(segment: string): string {
  return encodeSegment(decodeSegment(segment));
}
