/**
 * The build writes the official OpenAPI schemas' validators as Ajv standalone modules
 * (scripts/write-openapi-validators.mjs) and the built code loads them instead of compiling the
 * schemas on every run. They must judge documents exactly as the validators compiled from the
 * sources do. Needs `npm run build`.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import {
  type OpenApiSchemaVersion,
  officialSchemaAjv,
  precompiledValidatorFile,
} from '../../src/openapi/openapi-validate.js';
import { parseJsonOrYaml } from '../../src/util/parse.js';

const requireFromDist = createRequire(new URL('../../dist/openapi/openapi-validate.js', import.meta.url));
const castle = (await parseJsonOrYaml(
  readFileSync(new URL('../../examples/castle-service/openapi.yaml', import.meta.url), 'utf8'),
  'openapi.yaml',
  // biome-ignore lint/suspicious/noExplicitAny: tests break documents in arbitrary places
)) as any;

// biome-ignore lint/suspicious/noExplicitAny: tests break documents in arbitrary places
const variants: [string, (document: any) => void][] = [
  ['unchanged', () => {}],
  ['unknown parameter location', (d) => (d.paths['/castles'].get.parameters[0].in = 'body')],
  ['response without description', (d) => delete d.paths['/castles'].get.responses['200'].description],
  ['misspelt field', (d) => (d.paths['/castles'].get.respones = {})],
  ['title not a string', (d) => (d.info.title = 5)],
  ['bad server url type', (d) => (d.servers = [{ url: 42 }])],
];

describe.each(['3.0', '3.1'] as const)('the precompiled OpenAPI %s validator', (version) => {
  const precompiled = requireFromDist(precompiledValidatorFile(version)) as ValidateFunction;
  const { ajv, schema } = officialSchemaAjv(version);
  const compiled = ajv.compile(schema);

  it.each(variants)('judges a document (%s) as the compiled one does', (_name, mutate) => {
    const document = structuredClone(castle);
    if (version === '3.1') document.openapi = '3.1.0';
    mutate(document);
    const verdict = (validate: ValidateFunction) => ({ valid: validate(document), errors: validate.errors });
    const expected = verdict(compiled);
    expect(verdict(precompiled)).toEqual(expected);
    if (_name !== 'unchanged') expect(expected.valid).toBe(false);
  });
});

it('the precompiled Swagger 2.0 validator judges a document as the compiled one does', () => {
  const version: OpenApiSchemaVersion = '2.0';
  const precompiled = requireFromDist(precompiledValidatorFile(version)) as ValidateFunction;
  const { ajv, schema } = officialSchemaAjv(version);
  const compiled = ajv.compile(schema);
  for (const document of [
    { swagger: '2.0', info: { title: 't', version: '1' }, paths: {} },
    { swagger: '2.0', info: { title: 't' }, paths: { '/a': { get: { responses: { 200: {} } } } } },
  ]) {
    const verdict = (validate: ValidateFunction) => ({ valid: validate(document), errors: validate.errors });
    expect(verdict(precompiled)).toEqual(verdict(compiled));
  }
});

describe('the CLI bundle', () => {
  it.each(['2.0', '3.0', '3.1'] as const)(
    'finds the precompiled OpenAPI %s validator beside its chunks (else it would silently compile the schema)',
    (version) => {
      const requireFromBundle = createRequire(new URL('../../dist/cli-bundle/main.js', import.meta.url));
      expect(typeof requireFromBundle(precompiledValidatorFile(version))).toBe('function');
    },
  );
});
