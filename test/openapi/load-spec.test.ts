import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { loadSpec } from '../../src/openapi/load.js';
import { forEachRef } from '../../src/openapi/openapi-walk.js';
import { contentHash } from '../../src/util/canonical-json.js';
import { parseJsonOrYaml } from '../../src/util/parse.js';

const FIXTURES = 'test/fixtures/specs';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'entente-spec-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(files: Record<string, string>): Promise<string> {
  const base = await mkdtemp(join(dir, 'case-'));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(base, name, '..'), { recursive: true });
    await writeFile(join(base, name), text);
  }
  return base;
}

async function failure(promise: Promise<unknown>): Promise<InputError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

function externalRefs(document: unknown): string[] {
  const refs: string[] = [];
  forEachRef(document, 'openapi-3', ({ ref }) => {
    if (!ref.startsWith('#')) refs.push(ref);
  });
  return refs;
}

const MINIMAL = 'openapi: 3.0.3\ninfo: {title: T, version: "1"}\npaths: {}\n';

describe('loadSpec: accepted specs', () => {
  it('loads the castle example unchanged, with its version, title and content hash', async () => {
    const file = 'examples/castle-service/openapi.yaml';
    const spec = await loadSpec(file);
    expect(spec.document).toEqual(await parseJsonOrYaml(await readFile(file, 'utf8'), file));
    expect(spec.openapi).toBe('3.0.3');
    expect(spec.title).toBe('Castle Service API');
    expect(spec.convertedFrom).toBeUndefined();
    expect(spec.hash).toBe(contentHash(spec.document));
  });

  it('bundles a multi-file spec into one self-contained document, the same every time', async () => {
    const file = `${FIXTURES}/multi-file/openapi.yaml`;
    const spec = await loadSpec(file);
    expect(externalRefs(spec.document)).toEqual([]);
    expect(Object.keys(spec.document.components?.schemas ?? {})).toEqual(['Castle', 'tower', 'Error']);
    expect(spec.document.components?.responses).toHaveProperty('NotFound');
    expect(spec.document.components?.parameters).toHaveProperty('CastleId');
    expect(spec.document.paths?.['/castles']).toHaveProperty('get.operationId', 'listCastles');
    expect((await loadSpec(file)).hash).toBe(spec.hash);
  });

  it('bundles discriminator mappings to other files, leaves names and internal refs alone, and warns about dangling ones', async () => {
    const file = `${FIXTURES}/discriminator/openapi.yaml`;
    const spec = await loadSpec(file);
    const schemas = spec.document.components?.schemas as Record<string, Record<string, unknown>>;
    expect(schemas.Pet?.discriminator).toEqual({
      propertyName: 'kind',
      mapping: {
        dog: 'Dog',
        cat: '#/components/schemas/Cat',
        lizard: '#/components/schemas/lizard',
        fish: '#/components/schemas/Fish',
      },
    });
    expect(Object.keys(schemas)).toEqual(['Pet', 'Dog', 'Cat', 'lizard', 'Fish']);
    expect(externalRefs(spec.document)).toEqual([]);
    expect(spec.warnings).toEqual([
      `${file}#/components/schemas/Pet/discriminator/mapping/bird: discriminator mapping "bird" points at ${FIXTURES}/discriminator/schemas/bird.yaml, which does not exist; the entry is left out`,
    ]);
  });

  it('loads handwritten OpenAPI 3.1 specs, YAML and JSON', async () => {
    const webhooks = await loadSpec(`${FIXTURES}/openapi-3.1/webhooks.yaml`);
    expect(webhooks.openapi).toBe('3.1.0');
    expect(webhooks.document.webhooks).toHaveProperty('drawbridgeRaised');
    const noPaths = await loadSpec(`${FIXTURES}/openapi-3.1/no-paths.json`);
    expect(noPaths.openapi).toBe('3.1.1');
    expect(noPaths.title).toBe('Schemas only');
  });

  it('converts Swagger 2.0, bundling its local refs first', async () => {
    const spec = await loadSpec(`${FIXTURES}/swagger-2.0/petstore.yaml`);
    expect(spec.convertedFrom).toBe('swagger-2.0');
    expect(spec.openapi).toMatch(/^3\.0\./);
    expect(spec.document.servers).toEqual([{ url: 'https://pets.example.com/v1' }]);
    expect(spec.document.components?.schemas).toMatchObject({
      Pet: { properties: { tag: { type: 'string', nullable: true } } },
    });
    expect(spec.document.paths?.['/pets/{petId}']).toMatchObject({
      get: {
        responses: {
          200: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Pet' } } } },
        },
      },
    });
  });
});

describe('loadSpec: refused input', () => {
  it('names a missing file', async () => {
    const file = join(dir, 'nope.yaml');
    const error = await failure(loadSpec(file));
    expect(error.code).toBe('input.file-missing');
    expect(error.message).toBe(`${file}: no such file`);
  });

  it('names a directory given as the spec', async () => {
    const error = await failure(loadSpec(dir));
    expect(error.code).toBe('input.file-unreadable');
    expect(error.message).toBe(`${dir} is a directory, not a spec file`);
  });

  it.each([
    ['a list', '- 1\n', 'not an OpenAPI document'],
    ['no version field', 'info: {title: T}\n', 'no "openapi" (or "swagger") field'],
    ['OpenAPI 2.x', 'openapi: 2.0.0\n', '"openapi: 2.0.0" is not a supported version'],
    ['OpenAPI 4', 'openapi: 4.0.0\n', '"openapi: 4.0.0" is not a supported version'],
    ['an unquoted number', 'openapi: 3.1\n', 'must be a string such as "3.1.0"'],
    ['Swagger 1.2', 'swagger: "1.2"\n', '"swagger: 1.2" is not a supported version'],
  ])('refuses %s, saying which versions are supported', async (_, text, reason) => {
    const base = await write({ 'api.yaml': text });
    const error = await failure(loadSpec(join(base, 'api.yaml')));
    expect(error.code).toBe('input.openapi-version');
    expect(error.message).toContain(reason);
    expect(error.message).toContain('OpenAPI 3.0.x or 3.1.x (or Swagger 2.0, which is converted)');
  });

  it('points validation errors at the file that holds the mistake', async () => {
    const base = await write({
      'api.yaml': `${MINIMAL.replace('paths: {}', 'paths:\n  /a:\n    $ref: paths/a.yaml')}`,
      'paths/a.yaml': 'get:\n  responses:\n    "200":\n      $ref: ../responses.yaml#/Ok\n',
      'responses.yaml': 'Ok:\n  content: {}\n',
    });
    const error = await failure(loadSpec(join(base, 'api.yaml')));
    expect(error.code).toBe('input.openapi-invalid');
    expect(error.details).toEqual([
      { where: `${join(base, 'responses.yaml')}#/Ok`, message: 'is missing required field "description"' },
    ]);
    expect(error.message).toBe(
      `${join(base, 'api.yaml')}: not a valid OpenAPI 3.0 document: ${join(base, 'responses.yaml')}#/Ok is missing required field "description"`,
    );
  });

  it('names the referencing file and pointer for a ref to a missing file', async () => {
    const base = await write({
      'api.yaml': `${MINIMAL}components:\n  schemas:\n    A:\n      $ref: gone.yaml\n`,
    });
    const error = await failure(loadSpec(join(base, 'api.yaml')));
    expect(error.code).toBe('input.ref-missing');
    expect(error.message).toBe(
      `${join(base, 'api.yaml')}#/components/schemas/A: $ref "gone.yaml" points at ${join(base, 'gone.yaml')}, which does not exist`,
    );
  });

  it('reports malformed YAML in a referenced file with its name and line', async () => {
    const base = await write({
      'api.yaml': `${MINIMAL}components:\n  schemas:\n    A:\n      $ref: a.yaml\n`,
      'a.yaml': 'type: object\nproperties: [\n',
    });
    const error = await failure(loadSpec(join(base, 'api.yaml')));
    expect(error.code).toBe('input.yaml');
    expect(error.message).toContain(`${join(base, 'a.yaml')}:`);
  });

  it('refuses a YAML alias bomb in a referenced file', async () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const next = String.fromCharCode(97 + i);
      bomb.push(`${next}: &${next} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const base = await write({
      'api.yaml': `${MINIMAL}components:\n  schemas:\n    A:\n      $ref: bomb.yaml\n`,
      'bomb.yaml': `${bomb.join('\n')}\n`,
    });
    const error = await failure(loadSpec(join(base, 'api.yaml')));
    expect(error.code).toBe('input.yaml');
    expect(error.message).toContain('bomb.yaml');
  });
});

describe('loadSpec: remote refs', () => {
  let server: Server;
  let origin: string;
  const served: string[] = [];
  beforeAll(async () => {
    server = createServer((request, response) => {
      served.push(request.url ?? '');
      const pages: Record<string, string> = {
        '/schemas/castle.yaml': 'type: object\nproperties:\n  keep:\n    $ref: keep.yaml\n',
        '/schemas/keep.yaml': 'type: string\n',
      };
      const page = pages[request.url ?? ''];
      response.writeHead(page ? 200 : 404, { 'content-type': 'application/yaml' });
      response.end(page ?? 'not found');
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((done) => server.close(done));
  });

  const specWith = (url: string) =>
    write({
      'api.yaml': `${MINIMAL}components:\n  schemas:\n    Castle:\n      description: remote\n      $ref: ${url}\n`,
    });

  it('refuses them by default, naming the file, the pointer and the URL, without fetching', async () => {
    const base = await specWith(`${origin}/schemas/castle.yaml`);
    served.length = 0;
    const error = await failure(loadSpec(join(base, 'api.yaml')));
    expect(error.code).toBe('input.remote-ref');
    expect(error.message).toContain(`${join(base, 'api.yaml')}#/components/schemas/Castle`);
    expect(error.message).toContain(`${origin}/schemas/castle.yaml`);
    expect(served).toEqual([]);
  });

  it('fetches and bundles them when allowed, resolving relative refs against the URL', async () => {
    const base = await specWith(`${origin}/schemas/castle.yaml`);
    const spec = await loadSpec(join(base, 'api.yaml'), { allowRemoteRefs: true });
    expect(spec.document.components?.schemas).toEqual({
      Castle: { description: 'remote', $ref: '#/components/schemas/castle' },
      castle: { type: 'object', properties: { keep: { $ref: '#/components/schemas/keep' } } },
      keep: { type: 'string' },
    });
  });

  it('uses fetchText when given', async () => {
    const base = await specWith('https://specs.example/castle.json');
    const fetched: string[] = [];
    const spec = await loadSpec(join(base, 'api.yaml'), {
      allowRemoteRefs: true,
      fetchText: async (url) => {
        fetched.push(url);
        return '{"type": "integer"}';
      },
    });
    expect(fetched).toEqual(['https://specs.example/castle.json']);
    expect(spec.document.components?.schemas?.castle).toEqual({ type: 'integer' });
  });

  it('names the referencing file and pointer when the URL is not found', async () => {
    const base = await specWith(`${origin}/schemas/gone.yaml`);
    const error = await failure(loadSpec(join(base, 'api.yaml'), { allowRemoteRefs: true }));
    expect(error.code).toBe('input.ref-missing');
    expect(error.message).toContain(`${join(base, 'api.yaml')}#/components/schemas/Castle`);
    expect(error.message).toContain(`${origin}/schemas/gone.yaml`);
  });
});

describe('loadSpec: Swagger 2.0 problems', () => {
  it('validates Swagger 2.0 against its own schema, pointing into the source file', async () => {
    const base = await write({
      'api.yaml':
        'swagger: "2.0"\ninfo: {title: T, version: "1"}\npaths:\n  /a:\n    get:\n      responses:\n        "200": {}\n',
    });
    const error = await failure(loadSpec(join(base, 'api.yaml')));
    expect(error.code).toBe('input.openapi-invalid');
    expect(error.message).toContain('not a valid Swagger 2.0 document');
    expect(error.details[0]).toEqual({
      where: `${join(base, 'api.yaml')}#/paths/~1a/get/responses/200`,
      message: 'is missing required field "description"',
    });
  });

  it('refuses dangling refs before the converter silently drops them', async () => {
    const base = await write({
      'api.yaml':
        'swagger: "2.0"\ninfo: {title: T, version: "1"}\npaths:\n  /a:\n    get:\n      parameters:\n        - $ref: "#/parameters/Limit"\n      responses:\n        "200": {description: ok}\n',
    });
    const error = await failure(loadSpec(join(base, 'api.yaml')));
    expect(error.details).toEqual([
      {
        where: `${join(base, 'api.yaml')}#/paths/~1a/get/parameters/0`,
        message: '$ref "#/parameters/Limit" does not resolve',
      },
    ]);
  });
});
