/**
 * Checks the official OpenAPI schemas leave out: the Schema Objects of an
 * OpenAPI 3.1 document against the JSON Schema 2020-12 meta-schema
 * (`type: integr` is refused). Reference cycles are in reference-cycles.ts.
 */
import type { ErrorObject } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { childKind, encodeSegment, type NodeKind } from './openapi-walk.js';

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
