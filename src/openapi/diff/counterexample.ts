/**
 * Proof for a schema finding: an instance that the base request schema
 * accepts and the revision refuses, or that the revision response schema
 * allows and the base did not. Candidates come from the accepting side
 * ({@link candidateInstances}); Ajv decides, through the same OpenAPI → JSON
 * Schema conversion the mock and the verifier use.
 */
import type { ValidateFunction } from 'ajv';
import { type OpenApiDocument, resolvePointer } from '../document.js';
import { toJsonSchema } from '../schema.js';
import { specValidators } from '../validator.js';
import type { Direction } from './compare-schemas.js';
import { candidateInstances } from './instances.js';
import { isObject, type SchemaRef } from './schema-view.js';

export interface Counterexample {
  /** The instance: a body, a field of one, or a parameter or header value. */
  instance: unknown;
  /** Requests: the base accepts it and the revision refuses it. Responses: the revision allows it and the base did not. */
  acceptedBy: 'base' | 'revision';
  /** JSON pointers of the two schemas it was checked against. */
  schemas: { base: string; revision: string };
}

/**
 * How many schema pairs one diff searches. Each search compiles up to two
 * validators; the bound keeps large specs fast and the output the same on
 * every machine (a count, not a clock).
 */
export const MAX_COUNTEREXAMPLE_SEARCHES = 400;

export class CounterexampleSearch {
  private readonly found = new Map<string, Counterexample | null>();
  private searches = 0;

  constructor(
    private readonly base: OpenApiDocument,
    private readonly revision: OpenApiDocument,
    private readonly limit = MAX_COUNTEREXAMPLE_SEARCHES,
  ) {}

  /** The shortest candidate that proves `base` → `revision` narrows (requests) or widens (responses), if one is found. */
  find(direction: Direction, base: SchemaRef, revision: SchemaRef): Counterexample | undefined {
    const key = `${direction}|${base.pointer}|${revision.pointer}`;
    const known = this.found.get(key);
    if (known !== undefined) return known ?? undefined;
    if (this.searches >= this.limit) return undefined;
    this.searches++;
    const result = this.search(direction, base, revision) ?? null;
    this.found.set(key, result);
    return result ?? undefined;
  }

  private search(direction: Direction, base: SchemaRef, revision: SchemaRef): Counterexample | undefined {
    const baseValidator = this.validator(this.base, direction, base);
    const revisionValidator = this.validator(this.revision, direction, revision);
    if (!baseValidator || !revisionValidator) return undefined;
    const [accepting, refusing, source, sourceSchema, other, otherSchema] =
      direction === 'request'
        ? [baseValidator, revisionValidator, this.base, base, this.revision, revision]
        : [revisionValidator, baseValidator, this.revision, revision, this.base, base];
    let candidates: unknown[];
    try {
      candidates = candidateInstances(
        toJsonSchema(source, sourceSchema.node, { direction }),
        toJsonSchema(other, otherSchema.node, { direction }),
      );
    } catch {
      return undefined;
    }
    let best: { instance: unknown; size: number } | undefined;
    for (const instance of candidates) {
      if (!accepting(instance) || refusing(instance)) continue;
      const size = JSON.stringify(instance).length;
      if (!best || size < best.size) best = { instance, size };
    }
    if (!best) return undefined;
    return {
      instance: best.instance,
      acceptedBy: direction === 'request' ? 'base' : 'revision',
      schemas: { base: pointerOf(this.base, base), revision: pointerOf(this.revision, revision) },
    };
  }

  private validator(
    document: OpenApiDocument,
    direction: Direction,
    schema: SchemaRef,
  ): ValidateFunction | undefined {
    try {
      return specValidators(document).compile(`diff|${direction}|${schema.pointer}`, () =>
        toJsonSchema(document, schema.node, { direction }),
      );
    } catch {
      return undefined;
    }
  }
}

/** Where the schema really is: a lone `$ref` is followed, so a test (or a person) can find it. */
function pointerOf(document: unknown, schema: SchemaRef): string {
  let { node, pointer } = schema;
  for (
    let hops = 0;
    hops < 16 && isObject(node) && typeof node.$ref === 'string' && Object.keys(node).length === 1;
    hops++
  ) {
    if (!node.$ref.startsWith('#')) break;
    pointer = node.$ref.slice(1);
    node = resolvePointer(document, node.$ref);
  }
  return pointer;
}
