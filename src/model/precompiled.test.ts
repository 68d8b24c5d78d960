import { createRequire } from 'node:module';
import type { TSchema } from '@sinclair/typebox';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { precompiledValidatorsSource } from '../../scripts/precompile-validators.mjs';
import { configSchemas } from '../config/schema.js';
import { PendingInteraction } from '../record/pending.js';
import { recordSchemas } from './records.js';
import { RECORD_AJV_OPTIONS } from './validate.js';

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

const schemas: [string, TSchema][] = [
  ...Object.entries(recordSchemas),
  ...Object.entries(configSchemas),
  ['PendingInteraction', PendingInteraction],
];

/** Loads the generated CommonJS module as the bundle would, its requires (ajv's runtime, ajv-formats) from here. */
function load(source: string): Record<string, ValidateFunction> {
  const module = { exports: {} as { precompiledValidators?: Record<string, ValidateFunction> } };
  new Function('require', 'module', 'exports', source)(
    createRequire(import.meta.url),
    module,
    module.exports,
  );
  return module.exports.precompiledValidators ?? {};
}

describe('validators precompiled for the CLI bundle (scripts/precompile-validators.mjs)', () => {
  const precompiled = load(
    precompiledValidatorsSource(
      schemas.map(([, schema]) => schema),
      RECORD_AJV_OPTIONS,
    ),
  );
  const ajv = new Ajv(RECORD_AJV_OPTIONS);
  addFormats(ajv);

  it.each(schemas)('%s is found by its JSON text, as validate.ts looks it up', (_, schema) => {
    expect(precompiled[JSON.stringify(schema)]).toBeTypeOf('function');
  });

  it.each(schemas)('%s answers as Ajv compiling it at run time does, errors included', (_, schema) => {
    const validate = precompiled[JSON.stringify(schema)]!;
    const compiled = ajv.compile(schema);
    for (const data of [{}, { unexpected: 1 }, [], 'text', { version: 7, service: '../x' }]) {
      expect(validate(data), JSON.stringify(data)).toBe(compiled(data));
      expect(validate.errors, JSON.stringify(data)).toEqual(compiled.errors);
    }
  });
});
