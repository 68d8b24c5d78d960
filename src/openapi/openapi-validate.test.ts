import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import { parseJsonOrYaml } from '../util/parse.js';
import type { OpenApiDocument } from './document.js';
import {
  assertValidOpenApi,
  type OpenApiSchemaVersion,
  openApiSchemaProblems,
  openApiSemanticProblems,
} from './openapi-validate.js';

const castleFile = new URL('../../examples/castle-service/openapi.yaml', import.meta.url);
const castle = (await parseJsonOrYaml(readFileSync(castleFile, 'utf8'), 'openapi.yaml')) as OpenApiDocument;

// biome-ignore lint/suspicious/noExplicitAny: tests break documents in arbitrary places
function broken(version: '3.0' | '3.1', mutate: (document: any) => void): OpenApiDocument {
  const document = structuredClone(castle);
  if (version === '3.1') document.openapi = '3.1.0';
  mutate(document);
  return document;
}

describe.each(['3.0', '3.1'] as const)('openApiSchemaProblems (OpenAPI %s)', (version) => {
  it('accepts the castle example', () => {
    expect(
      openApiSchemaProblems(
        broken(version, () => {}),
        version,
      ),
    ).toEqual([]);
  });

  it('reports an unknown parameter location once, with every allowed value', () => {
    const document = broken(version, (d) => {
      d.paths['/castles'].get.parameters[0].in = 'body';
    });
    const problems = openApiSchemaProblems(document, version);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.pointer).toBe('/paths/~1castles/get/parameters/0/in');
    for (const location of ['path', 'query', 'header', 'cookie']) {
      expect(problems[0]!.message).toContain(`"${location}"`);
    }
  });

  it('reports a missing required field at the object, not the noise of the other oneOf branches', () => {
    const document = broken(version, (d) => {
      delete d.paths['/castles'].get.responses['200'].description;
    });
    expect(openApiSchemaProblems(document, version)).toEqual([
      { pointer: '/paths/~1castles/get/responses/200', message: 'is missing required field "description"' },
    ]);
  });

  it('names misspelt fields', () => {
    const document = broken(version, (d) => {
      d.paths['/castles'].get.respones = d.paths['/castles'].get.responses;
      delete d.paths['/castles'].get.responses;
    });
    const problems = openApiSchemaProblems(document, version);
    // 3.1 made `responses` optional; 3.0 also misses it.
    const expected =
      version === '3.0'
        ? 'is missing required field "responses"; has unknown field "respones"'
        : 'has unknown field "respones"';
    expect(problems).toEqual([{ pointer: '/paths/~1castles/get', message: expected }]);
  });

  it('reports wrong types at the field', () => {
    const document = broken(version, (d) => {
      d.paths['/castles'].get.responses = [];
    });
    expect(openApiSchemaProblems(document, version)).toEqual([
      { pointer: '/paths/~1castles/get/responses', message: 'must be object' },
    ]);
  });

  it('reports independent problems separately', () => {
    const document = broken(version, (d) => {
      delete d.info.version;
      d.paths.castles = {};
    });
    const problems = openApiSchemaProblems(document, version);
    expect(problems).toContainEqual({ pointer: '/info', message: 'is missing required field "version"' });
    expect(problems).toContainEqual({ pointer: '/paths', message: 'has unknown field "castles"' });
  });
});

describe('openApiSemanticProblems', () => {
  it('accepts the castle example', () => {
    expect(openApiSemanticProblems(castle)).toEqual([]);
  });

  it('finds duplicate operationIds', () => {
    const document = broken('3.0', (d) => {
      d.paths['/castles'].post.operationId = 'listCastles';
    });
    expect(openApiSemanticProblems(document)).toEqual([
      {
        pointer: '/paths/~1castles/post/operationId',
        message: 'operationId "listCastles" is also used by GET /castles',
      },
    ]);
  });

  it('finds path template parameters that are not declared, and path parameters not in the template', () => {
    const document = broken('3.0', (d) => {
      d.paths['/castles/{castleId}'] = d.paths['/castles/{id}'];
      delete d.paths['/castles/{id}'];
    });
    const problems = openApiSemanticProblems(document);
    expect(problems).toContainEqual({
      pointer: '/paths/~1castles~1{castleId}/get',
      message:
        'path parameter "castleId" of "/castles/{castleId}" is not declared (a parameter with in: path and name: castleId)',
    });
    expect(problems).toContainEqual({
      pointer: '/paths/~1castles~1{castleId}/parameters/0',
      message: 'path parameter "id" does not appear in "/castles/{castleId}"',
    });
  });

  it('warns about, without refusing, path templates that only differ by parameter names (GitHub has them)', () => {
    const document = broken('3.0', (d) => {
      d.paths['/castles/{other}'] = {};
    });
    expect(
      assertValidOpenApi(document, '3.0', { file: 'api.yaml', locate: (pointer) => `api.yaml#${pointer}` }),
    ).toEqual([
      'api.yaml#/paths/~1castles~1{other} path "/castles/{other}" cannot be told apart from "/castles/{id}" (only parameter names differ)',
    ]);
  });

  it('finds path templates that only differ by parameter names', () => {
    const document = broken('3.0', (d) => {
      d.paths['/castles/{other}'] = {};
    });
    expect(openApiSemanticProblems(document)).toEqual([
      {
        pointer: '/paths/~1castles~1{other}',
        message:
          'path "/castles/{other}" cannot be told apart from "/castles/{id}" (only parameter names differ)',
        level: 'warning',
      },
    ]);
  });

  it('finds internal $refs that do not resolve, but not $ref keys in example data', () => {
    const document = broken('3.0', (d) => {
      d.paths['/castles'].get.responses['200'].content['application/json'].schema.items.$ref =
        '#/components/schemas/Nope';
      d.components.schemas.Castle.example = { $ref: '#/not/a/reference' };
    });
    expect(openApiSemanticProblems(document)).toEqual([
      {
        pointer: '/paths/~1castles/get/responses/200/content/application~1json/schema/items',
        message: '$ref "#/components/schemas/Nope" does not resolve',
      },
    ]);
  });

  it('checks discriminator mapping references, not mapping schema names', () => {
    const document = broken('3.0', (d) => {
      d.components.schemas['Castle.v2'] = { type: 'object' };
      d.components.schemas['castle.yaml'] = { type: 'object' };
      d.components.schemas.Castle.discriminator = {
        propertyName: 'name',
        mapping: {
          a: 'Castle',
          b: 'Castle.v2',
          c: 'castle.yaml',
          d: '#/components/schemas/Castle',
          e: '#/components/schemas/Keep',
          f: 'keep.yaml',
        },
      };
    });
    expect(openApiSemanticProblems(document)).toEqual([
      {
        pointer: '/components/schemas/Castle/discriminator/mapping/e',
        message: '$ref "#/components/schemas/Keep" does not resolve',
      },
      {
        pointer: '/components/schemas/Castle/discriminator/mapping/f',
        message: '$ref "keep.yaml" is not an internal reference',
      },
    ]);
  });

  it('follows path parameters declared through $refs', () => {
    const document = broken('3.0', (d) => {
      d.components.parameters = { CastleId: d.paths['/castles/{id}'].parameters[0] };
      d.paths['/castles/{id}'].parameters = [{ $ref: '#/components/parameters/CastleId' }];
    });
    expect(openApiSemanticProblems(document)).toEqual([]);
  });
});

describe('assertValidOpenApi', () => {
  const validate = (document: unknown, version: OpenApiSchemaVersion) => () =>
    assertValidOpenApi(document, version, { file: 'api.yaml', locate: (pointer) => `api.yaml#${pointer}` });

  it('throws input.openapi-invalid naming the file and the first violation', () => {
    const document = broken('3.0', (d) => {
      delete d.paths['/castles'].get.responses['200'].description;
      delete d.info.title;
    });
    const error = captureError(validate(document, '3.0'));
    expect(error.code).toBe('input.openapi-invalid');
    expect(error.exitCode).toBe(3);
    expect(error.message).toBe(
      'api.yaml: not a valid OpenAPI 3.0 document: api.yaml#/info is missing required field "title" (and 1 more)',
    );
    expect(error.details).toEqual([
      { where: 'api.yaml#/info', message: 'is missing required field "title"' },
      {
        where: 'api.yaml#/paths/~1castles/get/responses/200',
        message: 'is missing required field "description"',
      },
    ]);
  });

  it('lists every violation, and counts them in the message', () => {
    const document = broken('3.1', (d) => {
      for (let i = 0; i < 30; i++) d.paths[`/broken${i}`] = { get: { responses: { 200: {} } } };
    });
    const error = captureError(validate(document, '3.1'));
    expect(error.details).toHaveLength(30);
    expect(error.message).toContain('(and 29 more)');
  });

  it('runs the semantic checks once the schema is satisfied', () => {
    const document = broken('3.1', (d) => {
      d.paths['/castles'].post.operationId = 'getCastle';
    });
    expect(captureError(validate(document, '3.1')).details[0]).toEqual({
      where: 'api.yaml#/paths/~1castles~1{id}/get/operationId',
      message: 'operationId "getCastle" is also used by POST /castles',
    });
  });
});

function captureError(run: () => void): InputError {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}
