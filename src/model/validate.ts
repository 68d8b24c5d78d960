import { createRequire } from 'node:module';
import type { Static, TSchema } from '@sinclair/typebox';
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import type addFormatsModule from 'ajv-formats';
import { type EntenteError, RecordError } from '../errors.js';
import { precompiledValidators } from './precompiled.js';

/**
 * Ajv itself is required only when a schema has no precompiled validator (in
 * the library, on each schema's first use): the CLI bundle carries every
 * record schema precompiled, and a command that reads records then never
 * loads the compiler.
 */
const requirePackage = createRequire(import.meta.url);

function compiler(): Ajv {
  const { Ajv: AjvClass } = requirePackage('ajv') as typeof import('ajv');
  // ajv-formats is CommonJS: its module object is the plugin.
  const addFormats = requirePackage('ajv-formats') as typeof addFormatsModule.default;
  const instance = new AjvClass(RECORD_AJV_OPTIONS);
  addFormats(instance);
  return instance;
}

/** Ajv's options for the record schemas: scripts/bundle-cli.mjs compiles them ahead of time with the same. */
export const RECORD_AJV_OPTIONS = { allErrors: true, strict: true, allowUnionTypes: true } as const;

let ajv: Ajv | undefined;
const compiled = new WeakMap<TSchema, ValidateFunction>();

function validatorFor(schema: TSchema): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = precompiledValidators[JSON.stringify(schema)];
    if (!validate) {
      ajv ??= compiler();
      validate = ajv.compile(schema);
    }
    compiled.set(schema, validate);
  }
  return validate;
}

/** `/deployed/0/version must match pattern ...` → a human line naming the field. */
export function describeAjvError(error: ErrorObject): { where: string; message: string } {
  let where = error.instancePath || '/';
  if (error.keyword === 'required')
    where = `${error.instancePath}/${(error.params as { missingProperty: string }).missingProperty}`;
  if (error.keyword === 'additionalProperties') {
    where = `${error.instancePath}/${(error.params as { additionalProperty: string }).additionalProperty}`;
    return { where, message: 'is not an allowed field' };
  }
  if (error.keyword === 'required') return { where, message: 'is required' };
  if (error.keyword === 'enum' || error.keyword === 'const') {
    const allowed = (error.params as { allowedValues?: unknown[]; allowedValue?: unknown }).allowedValues ?? [
      (error.params as { allowedValue?: unknown }).allowedValue,
    ];
    return { where, message: `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}` };
  }
  return { where, message: error.message ?? 'is invalid' };
}

/**
 * Checks `data` against one of the record schemas. `file` names where the data
 * came from (or is going), so the error says which file and which field.
 */
export function checkRecord<S extends TSchema>(
  schema: S,
  data: unknown,
  file: string,
  makeError: (
    code: string,
    message: string,
    details: { where: string; message: string }[],
  ) => EntenteError = (code, message, details) => new RecordError(code, message, { details }),
): Static<S> {
  const validate = validatorFor(schema);
  if (validate(data)) return data as Static<S>;
  const details = dedupe((validate.errors ?? []).filter((e) => e.keyword !== 'anyOf').map(describeAjvError));
  const first = details[0];
  const summary = first ? `${first.where} ${first.message}` : 'does not match its schema';
  const more = details.length > 1 ? ` (and ${details.length - 1} more)` : '';
  throw makeError('record.invalid', `${file}: ${summary}${more}`, details);
}

function dedupe(details: { where: string; message: string }[]) {
  const seen = new Set<string>();
  return details.filter((d) => {
    const key = `${d.where} ${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
