// Ajv's standalone code for schemas validated at run time: one CommonJS module
// whose `precompiledValidators` maps each schema's JSON text to its validator,
// compiled with the given Ajv options and ajv-formats, as src/model/validate.ts
// compiles them. scripts/bundle-cli.mjs puts it in the CLI bundle in place of
// src/model/precompiled.ts.
import { Ajv } from 'ajv';
import standaloneCodeModule from 'ajv/dist/standalone/index.js';
import addFormatsModule from 'ajv-formats';

/** @param {object[]} schemas @param {object} options Ajv's options @returns {string} */
export function precompiledValidatorsSource(schemas, options) {
  const addFormats = addFormatsModule.default;
  const standaloneCode = standaloneCodeModule.default;
  const ajv = new Ajv({ ...options, code: { source: true } });
  addFormats(ajv);
  const exported = {};
  for (const [index, schema] of schemas.entries()) {
    ajv.addSchema(schema, `schema${index}`);
    exported[`validate${index}`] = `schema${index}`;
  }
  const byKey = schemas.map(
    (schema, index) => `${JSON.stringify(JSON.stringify(schema))}: exports.validate${index}`,
  );
  return `${standaloneCode(ajv, exported)}\nexports.precompiledValidators = {\n${byKey.join(',\n')}\n};\n`;
}
