import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import { type BundleInput, bundleDocument } from './bundle.js';

const ROOT = 'file:///specs/openapi.yaml';

/** Bundles `files` (URL → parsed document) in memory, the first one being the root. */
function bundle(files: Record<string, unknown>, options: Partial<BundleInput> = {}) {
  const read: string[] = [];
  const result = bundleDocument({
    flavour: 'openapi-3',
    rootUrl: ROOT,
    root: files[ROOT],
    readDocument: async (url) => {
      read.push(url);
      if (!(url in files)) throw new InputError('input.file-missing', `${url}: no such file`);
      return structuredClone(files[url]);
    },
    allowRemoteRefs: false,
    refRoot: 'file:///specs/',
    displayName: (url) => url.replace('file:///specs/', ''),
    ...options,
  });
  return { result, read };
}

const schemaAt = (ref: string) => ({
  get: {
    responses: { 200: { description: 'ok', content: { 'application/json': { schema: { $ref: ref } } } } },
  },
});

describe('bundleDocument', () => {
  it('leaves a single-file document as it is', async () => {
    const root = {
      openapi: '3.0.3',
      paths: { '/a': schemaAt('#/components/schemas/A') },
      components: { schemas: { A: { type: 'string' } } },
    };
    const { result, read } = bundle({ [ROOT]: root });
    expect((await result).document).toEqual(root);
    expect(read).toEqual([]);
  });

  it('moves schemas from other files under components/schemas, named after the pointer or the file', async () => {
    const { result } = bundle({
      [ROOT]: {
        openapi: '3.0.3',
        paths: {
          '/a': schemaAt('schemas/castle.yaml'),
          '/b': schemaAt('common.yaml#/components/schemas/Error'),
        },
      },
      'file:///specs/schemas/castle.yaml': { type: 'object', properties: { keep: { $ref: 'keep.yaml' } } },
      'file:///specs/schemas/keep.yaml': { type: 'string' },
      'file:///specs/common.yaml': { components: { schemas: { Error: { type: 'object' } } } },
    });
    const { document } = await result;
    expect(document.paths).toEqual({
      '/a': schemaAt('#/components/schemas/castle'),
      '/b': schemaAt('#/components/schemas/Error'),
    });
    expect(document.components).toEqual({
      schemas: {
        castle: { type: 'object', properties: { keep: { $ref: '#/components/schemas/keep' } } },
        Error: { type: 'object' },
        keep: { type: 'string' },
      },
    });
  });

  it('gives colliding names the file name as prefix, then a number', async () => {
    const { result } = bundle({
      [ROOT]: {
        openapi: '3.0.3',
        paths: {
          '/a': schemaAt('a.yaml#/Error'),
          '/b': schemaAt('b.yaml#/Error'),
          '/c': schemaAt('other/b.yaml#/Error'),
          '/d': schemaAt('d.yaml#/b_Error'),
        },
        components: { schemas: { Error: { type: 'string' } } },
      },
      'file:///specs/a.yaml': { Error: { type: 'integer' } },
      'file:///specs/b.yaml': { Error: { type: 'number' } },
      'file:///specs/other/b.yaml': { Error: { type: 'boolean' } },
      'file:///specs/d.yaml': { b_Error: { type: 'null' } },
    });
    const { document } = await result;
    expect(Object.keys((document.components as { schemas: object }).schemas)).toEqual([
      'Error',
      'a_Error',
      'b_Error',
      'Error_2',
      'd_b_Error',
    ]);
    expect(document.paths).toMatchObject({
      '/a': schemaAt('#/components/schemas/a_Error'),
      '/b': schemaAt('#/components/schemas/b_Error'),
    });
  });

  it('bundles circular references across files, each target once', async () => {
    const { result, read } = bundle({
      [ROOT]: {
        openapi: '3.0.3',
        paths: { '/a': schemaAt('castle.yaml'), '/b': schemaAt('./castle.yaml#') },
      },
      'file:///specs/castle.yaml': { type: 'object', properties: { tower: { $ref: 'tower.yaml' } } },
      'file:///specs/tower.yaml': { type: 'object', properties: { castle: { $ref: 'castle.yaml' } } },
    });
    const { document } = await result;
    expect(document.components).toEqual({
      schemas: {
        castle: { type: 'object', properties: { tower: { $ref: '#/components/schemas/tower' } } },
        tower: { type: 'object', properties: { castle: { $ref: '#/components/schemas/castle' } } },
      },
    });
    expect(read).toEqual(['file:///specs/castle.yaml', 'file:///specs/tower.yaml']);
  });

  it('gives a root component that only refers to another file the target itself', async () => {
    const { result } = bundle({
      [ROOT]: {
        openapi: '3.0.3',
        paths: { '/a': schemaAt('castle.yaml') },
        components: { schemas: { Castle: { $ref: 'castle.yaml' } } },
      },
      'file:///specs/castle.yaml': { type: 'object', properties: { self: { $ref: '#' } } },
    });
    const { document } = await result;
    expect(document.paths).toEqual({ '/a': schemaAt('#/components/schemas/Castle') });
    expect(document.components).toEqual({
      schemas: { Castle: { type: 'object', properties: { self: { $ref: '#/components/schemas/Castle' } } } },
    });
  });

  it('turns refs back into the root file into internal refs', async () => {
    const { result } = bundle({
      [ROOT]: {
        openapi: '3.0.3',
        paths: { '/a': schemaAt('list.yaml') },
        components: { schemas: { Castle: { type: 'object' } } },
      },
      'file:///specs/list.yaml': {
        type: 'array',
        items: { $ref: 'openapi.yaml#/components/schemas/Castle' },
      },
    });
    const { document } = await result;
    expect(document.components).toEqual({
      schemas: {
        Castle: { type: 'object' },
        list: { type: 'array', items: { $ref: '#/components/schemas/Castle' } },
      },
    });
  });

  it('puts parameters, responses and other components under their own homes, and inlines path items', async () => {
    const { result } = bundle({
      [ROOT]: {
        openapi: '3.0.3',
        paths: {
          '/castles/{id}': { $ref: 'paths.yaml#/castle' },
        },
      },
      'file:///specs/paths.yaml': {
        castle: {
          parameters: [{ $ref: 'common.yaml#/parameters/Id' }],
          get: { responses: { 404: { $ref: 'common.yaml#/responses/NotFound' } } },
        },
      },
      'file:///specs/common.yaml': {
        parameters: { Id: { name: 'id', in: 'path', required: true, schema: { type: 'string' } } },
        responses: {
          NotFound: { description: 'no', content: { 'text/plain': { schema: { $ref: '#/Text' } } } },
        },
        Text: { type: 'string' },
      },
    });
    const { document, locate } = await result;
    expect(document.paths).toEqual({
      '/castles/{id}': {
        parameters: [{ $ref: '#/components/parameters/Id' }],
        get: { responses: { 404: { $ref: '#/components/responses/NotFound' } } },
      },
    });
    expect(document.components).toEqual({
      parameters: { Id: { name: 'id', in: 'path', required: true, schema: { type: 'string' } } },
      responses: {
        NotFound: {
          description: 'no',
          content: { 'text/plain': { schema: { $ref: '#/components/schemas/Text' } } },
        },
      },
      schemas: { Text: { type: 'string' } },
    });
    expect(locate('/paths/~1castles~1{id}/get/responses')).toBe('paths.yaml#/castle/get/responses');
    expect(locate('/components/responses/NotFound/description')).toBe(
      'common.yaml#/responses/NotFound/description',
    );
    expect(locate('/info/title')).toBe('openapi.yaml#/info/title');
  });

  it('never rewrites $ref keys in examples, extensions or property names', async () => {
    const root = {
      openapi: '3.0.3',
      paths: {},
      'x-vendor': { $ref: 'nowhere.yaml' },
      components: {
        schemas: {
          A: {
            type: 'object',
            properties: { $ref: { type: 'string' } },
            example: { $ref: 'nowhere.yaml' },
            default: { $ref: 'nowhere.yaml' },
          },
        },
        examples: { E: { value: { $ref: 'nowhere.yaml' } } },
      },
    };
    const { result, read } = bundle({ [ROOT]: root });
    expect((await result).document).toEqual(root);
    expect(read).toEqual([]);
  });

  it('rewrites discriminator mappings that point at other files', async () => {
    const { result } = bundle({
      [ROOT]: {
        openapi: '3.0.3',
        paths: {},
        components: {
          schemas: {
            Pet: {
              oneOf: [{ $ref: 'cat.yaml' }],
              discriminator: { propertyName: 'kind', mapping: { cat: 'cat.yaml', dog: 'Dog' } },
            },
          },
        },
      },
      'file:///specs/cat.yaml': { type: 'object' },
    });
    const { document } = await result;
    expect(document.components).toEqual({
      schemas: {
        Pet: {
          oneOf: [{ $ref: '#/components/schemas/cat' }],
          discriminator: { propertyName: 'kind', mapping: { cat: '#/components/schemas/cat', dog: 'Dog' } },
        },
        cat: { type: 'object' },
      },
    });
  });

  it('tells mapping names from references as OpenAPI 3.0.4/3.1.1 do', async () => {
    const mapping = {
      dog: 'Dog',
      dotted: 'Pet.v2',
      declared: 'cat.yaml',
      file: 'cat.yaml#/Cat',
      relative: './lizard.json',
      bare: 'fish.yml',
      internal: '#/components/schemas/Dog',
    };
    const { result } = bundle({
      [ROOT]: {
        openapi: '3.0.3',
        paths: {},
        components: {
          schemas: {
            Dog: { type: 'object' },
            'Pet.v2': { type: 'object' },
            'cat.yaml': { type: 'object' },
            Pet: { discriminator: { propertyName: 'kind', mapping } },
          },
        },
      },
      'file:///specs/cat.yaml': { Cat: { type: 'object', properties: { friend: { $ref: 'fish.yml' } } } },
      'file:///specs/lizard.json': { type: 'object' },
      'file:///specs/fish.yml': { type: 'object' },
    });
    const { document, warnings } = await result;
    const schemas = (document.components as { schemas: Record<string, Record<string, unknown>> }).schemas;
    expect(schemas.Pet).toEqual({
      discriminator: {
        propertyName: 'kind',
        mapping: {
          dog: 'Dog',
          dotted: 'Pet.v2',
          declared: 'cat.yaml',
          file: '#/components/schemas/Cat',
          relative: '#/components/schemas/lizard',
          bare: '#/components/schemas/fish',
          internal: '#/components/schemas/Dog',
        },
      },
    });
    // A target only a mapping refers to is bundled once every $ref met so far is, then the refs inside it.
    expect(Object.keys(schemas)).toEqual(['Dog', 'Pet.v2', 'cat.yaml', 'Pet', 'Cat', 'fish', 'lizard']);
    expect(schemas.Cat).toEqual({
      type: 'object',
      properties: { friend: { $ref: '#/components/schemas/fish' } },
    });
    expect(warnings).toEqual([]);
  });

  it('bundles mappings in other files relative to that file', async () => {
    const { result } = bundle({
      [ROOT]: { openapi: '3.0.3', paths: { '/pets': schemaAt('pets/pet.yaml') } },
      'file:///specs/pets/pet.yaml': {
        oneOf: [{ $ref: '#/$defs/Dog' }, { $ref: 'cat.yaml' }],
        discriminator: { propertyName: 'kind', mapping: { dog: '#/$defs/Dog', cat: './cat.yaml' } },
        $defs: { Dog: { type: 'object' } },
      },
      'file:///specs/pets/cat.yaml': { type: 'object' },
    });
    const { document } = await result;
    const schemas = (document.components as { schemas: Record<string, Record<string, unknown>> }).schemas;
    expect(schemas.pet?.discriminator).toEqual({
      propertyName: 'kind',
      mapping: { dog: '#/components/schemas/Dog', cat: '#/components/schemas/cat' },
    });
    expect(schemas.pet?.oneOf).toEqual([
      { $ref: '#/components/schemas/Dog' },
      { $ref: '#/components/schemas/cat' },
    ]);
  });

  it('leaves out mapping entries whose target does not exist, with a warning, and keeps the rest', async () => {
    const { result } = bundle({
      [ROOT]: {
        openapi: '3.0.3',
        paths: {},
        components: {
          schemas: {
            Dog: { type: 'object' },
            Pet: {
              discriminator: {
                propertyName: 'kind',
                mapping: {
                  dog: 'Dog',
                  gone: 'models/pets.yml#/cat',
                  again: 'models/pets.yml#/cat',
                  nowhere: '#/components/schemas/Cat',
                  missing: 'dog.yaml#/Puppy',
                },
              },
            },
          },
        },
      },
      'file:///specs/dog.yaml': { Dog: { type: 'object' } },
    });
    const { document, warnings } = await result;
    const schemas = (document.components as { schemas: Record<string, Record<string, unknown>> }).schemas;
    expect(schemas.Pet).toEqual({ discriminator: { propertyName: 'kind', mapping: { dog: 'Dog' } } });
    expect(Object.keys(schemas)).toEqual(['Dog', 'Pet']);
    const at = (name: string) => `openapi.yaml#/components/schemas/Pet/discriminator/mapping/${name}`;
    expect(warnings).toEqual([
      `${at('gone')}: discriminator mapping "gone" points at models/pets.yml#/cat, which does not exist; the entry is left out`,
      `${at('again')}: discriminator mapping "again" points at models/pets.yml#/cat, which does not exist; the entry is left out`,
      `${at('nowhere')}: discriminator mapping "nowhere" points at openapi.yaml#/components/schemas/Cat, which does not exist; the entry is left out`,
      `${at('missing')}: discriminator mapping "missing" points at dog.yaml#/Puppy, which does not exist; the entry is left out`,
    ]);
  });

  it('still refuses a $ref to a target that a mapping also points at, when it does not exist', async () => {
    const { result } = bundle({
      [ROOT]: {
        openapi: '3.0.3',
        paths: { '/pets': schemaAt('models/pets.yml#/cat') },
        components: {
          schemas: {
            Pet: { discriminator: { propertyName: 'kind', mapping: { cat: 'models/pets.yml#/cat' } } },
          },
        },
      },
    });
    await expect(result).rejects.toMatchObject({ code: 'input.ref-missing' });
  });

  it('uses definitions, parameters and responses for Swagger 2.0', async () => {
    const { result } = bundle(
      {
        [ROOT]: {
          swagger: '2.0',
          paths: {
            '/a': {
              get: {
                parameters: [{ $ref: 'common.yaml#/Limit' }],
                responses: { 200: { description: 'ok', schema: { $ref: 'pet.yaml' } } },
              },
            },
          },
        },
        'file:///specs/common.yaml': { Limit: { name: 'limit', in: 'query', type: 'integer' } },
        'file:///specs/pet.yaml': { type: 'object' },
      },
      { flavour: 'swagger-2.0' },
    );
    const { document } = await result;
    expect(document.parameters).toEqual({ Limit: { name: 'limit', in: 'query', type: 'integer' } });
    expect(document.definitions).toEqual({ pet: { type: 'object' } });
  });

  it('gives the same document whatever order files finish loading in', async () => {
    const files: Record<string, unknown> = {
      [ROOT]: { openapi: '3.0.3', paths: { '/a': schemaAt('a.yaml'), '/b': schemaAt('b.yaml') } },
      'file:///specs/a.yaml': { properties: { x: { $ref: 'c.yaml#/X' } } },
      'file:///specs/b.yaml': { properties: { x: { $ref: 'c2.yaml#/X' } } },
      'file:///specs/c.yaml': { X: { type: 'string' } },
      'file:///specs/c2.yaml': { X: { type: 'number' } },
    };
    const delays = [
      [30, 0, 10, 0],
      [0, 30, 0, 10],
    ];
    const outputs = await Promise.all(
      delays.map(async (delay) => {
        const urls = Object.keys(files).slice(1);
        const { result } = bundle(files, {
          readDocument: (url) =>
            new Promise((done) =>
              setTimeout(() => done(structuredClone(files[url])), delay[urls.indexOf(url)]),
            ),
        });
        return JSON.stringify((await result).document);
      }),
    );
    expect(outputs[0]).toBe(outputs[1]);
  });
});

describe('bundleDocument errors', () => {
  async function failure(
    files: Record<string, unknown>,
    options: Partial<BundleInput> = {},
  ): Promise<InputError> {
    try {
      await bundle(files, options).result;
    } catch (error) {
      if (error instanceof InputError) return error;
      throw error;
    }
    throw new Error('expected an InputError');
  }

  it('names the referencing file, the pointer and the missing file', async () => {
    const error = await failure({ [ROOT]: { openapi: '3.0.3', paths: { '/a': schemaAt('gone.yaml') } } });
    expect(error.code).toBe('input.ref-missing');
    expect(error.message).toBe(
      'openapi.yaml#/paths/~1a/get/responses/200/content/application~1json/schema: $ref "gone.yaml" points at gone.yaml, which does not exist',
    );
  });

  it('names the referencing file, the pointer and the missing pointer', async () => {
    const error = await failure({
      [ROOT]: { openapi: '3.0.3', paths: { '/a': schemaAt('common.yaml#/Nope') } },
      'file:///specs/common.yaml': { Yes: {} },
    });
    expect(error.code).toBe('input.ref-missing');
    expect(error.message).toBe(
      'openapi.yaml#/paths/~1a/get/responses/200/content/application~1json/schema: $ref "common.yaml#/Nope" points at common.yaml#/Nope, which does not exist',
    );
  });

  it('refuses remote refs unless allowed', async () => {
    const error = await failure({
      [ROOT]: { openapi: '3.0.3', paths: { '/a': schemaAt('https://example.com/s.yaml#/A') } },
    });
    expect(error.code).toBe('input.remote-ref');
    expect(error.message).toContain(
      'openapi.yaml#/paths/~1a/get/responses/200/content/application~1json/schema',
    );
    expect(error.message).toContain('https://example.com/s.yaml');
  });

  it('refuses other schemes, and files referenced from remote documents', async () => {
    expect((await failure({ [ROOT]: { openapi: '3.0.3', paths: { '/a': schemaAt('urn:x:y') } } })).code).toBe(
      'input.ref-unsupported',
    );
    const error = await failure(
      {
        [ROOT]: { openapi: '3.0.3', paths: { '/a': schemaAt('https://example.com/s.yaml') } },
        'https://example.com/s.yaml': { properties: { p: { $ref: 'file:///etc/passwd' } } },
      },
      { allowRemoteRefs: true },
    );
    expect(error.code).toBe('input.ref-unsupported');
  });

  it('refuses a path item that includes itself', async () => {
    const error = await failure({
      [ROOT]: { openapi: '3.0.3', paths: { '/a': { $ref: 'loop.yaml' } } },
      'file:///specs/loop.yaml': { get: { callbacks: { c: { '{$url}': { $ref: 'loop.yaml' } } } } },
    });
    expect(error.code).toBe('input.ref-cycle');
  });
});
