import { resolvePointer } from '../document.js';

/** Keywords that document a schema without changing what it validates. */
const ANNOTATIONS = new Set([
  'description',
  'title',
  'summary',
  'example',
  'examples',
  'externalDocs',
  'deprecated',
  'xml',
  '$comment',
]);

/** Keywords whose value maps names to schemas (or to lists): their keys are data. */
const MAPS = new Set([
  'properties',
  'patternProperties',
  '$defs',
  'definitions',
  'dependentSchemas',
  'dependentRequired',
  'dependencies',
  'mapping',
]);

/**
 * Whether a schema of the base validates exactly like a schema of the
 * revision as written: `$ref`s followed on both sides (a `$ref` equals the
 * same schema inline), documentation keywords and `x-` extensions ignored.
 * Pairs are memoised; a pair met again while being compared counts as equal
 * (recursive schemas are equal when nothing else differs).
 */
export class SchemaEquality {
  private readonly known = new WeakMap<object, WeakMap<object, boolean>>();

  constructor(
    private readonly base: unknown,
    private readonly revision: unknown,
  ) {}

  same(baseNode: unknown, revisionNode: unknown): boolean {
    return this.equal(baseNode, revisionNode, false);
  }

  /** `map`: a map of names (`properties`, …), whose keys are never annotations. */
  private equal(a: unknown, b: unknown, map: boolean): boolean {
    a = follow(this.base, a);
    b = follow(this.revision, b);
    if (a === b && (typeof a !== 'object' || a === null)) return true;
    if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return a === b;
    if (Array.isArray(a) !== Array.isArray(b)) return false;
    const objA = a as object;
    const objB = b as object;
    let row = this.known.get(objA);
    const cached = row?.get(objB);
    if (cached !== undefined) return cached;
    if (!row) {
      row = new WeakMap();
      this.known.set(objA, row);
    }
    row.set(objB, true);
    const result = Array.isArray(a)
      ? a.length === (b as unknown[]).length && a.every((v, i) => this.equal(v, (b as unknown[])[i], false))
      : this.equalObjects(a as Record<string, unknown>, b as Record<string, unknown>, map);
    row.set(objB, result);
    return result;
  }

  private equalObjects(a: Record<string, unknown>, b: Record<string, unknown>, map: boolean): boolean {
    const keys = (o: Record<string, unknown>) =>
      Object.keys(o).filter((k) => map || (!ANNOTATIONS.has(k) && !k.startsWith('x-')));
    const aKeys = keys(a);
    const bKeys = keys(b);
    if (aKeys.length !== bKeys.length) return false;
    return aKeys.every((k) => k in b && this.equal(a[k], b[k], !map && MAPS.has(k)));
  }
}

/** A lone `$ref` (with annotations at most) replaced by its target, hop by hop. */
function follow(document: unknown, node: unknown): unknown {
  let current = node;
  for (let hops = 0; hops < 32; hops++) {
    if (typeof current !== 'object' || current === null) return current;
    const ref = (current as { $ref?: unknown }).$ref;
    if (typeof ref !== 'string' || !ref.startsWith('#')) return current;
    if (Object.keys(current).some((k) => k !== '$ref' && !ANNOTATIONS.has(k))) return current;
    current = resolvePointer(document, ref);
  }
  return current;
}
