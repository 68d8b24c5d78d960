import { describe, expect, it } from 'vitest';
import {
  createMockHandler,
  type OpenApiDocument,
  PROBLEMS_HEADER,
  startMockServer,
  validateResponse,
} from '../../src/index.js';

/** Like many real specs (a quarter of GitHub's GET examples): the example misses a required field. */
const document: OpenApiDocument = {
  openapi: '3.0.3',
  info: { title: 'stale examples', version: '1' },
  paths: {
    '/orgs/{org}': {
      get: {
        operationId: 'getOrg',
        parameters: [{ name: 'org', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': {
            description: 'ok',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['login', 'archived_at'],
                  properties: {
                    login: { type: 'string' },
                    archived_at: { type: 'string', format: 'date-time', nullable: true },
                  },
                },
                examples: { octo: { value: { login: 'octo-org' } } },
              },
            },
          },
        },
      },
    },
  },
};

describe('mock: an example that does not fit the spec', () => {
  it('is reported, and a generated sample that fits is served in its place', async () => {
    const mock = createMockHandler({ document });
    await using server = await startMockServer(mock);
    const response = await fetch(`${server.url}/orgs/octo-org`);
    const body = await response.json();
    expect(response.status).toBe(200);
    expect(body).toHaveProperty('archived_at');
    const headers = Object.fromEntries(response.headers);
    expect(validateResponse(document, 'getOrg', { status: 200, headers, body })).toEqual([]);
    expect(response.headers.get(PROBLEMS_HEADER)).toBe(
      'example octo for getOrg (200) does not fit the spec: body /archived_at is required',
    );
    expect(mock.problems.map((p) => [p.kind, p.example])).toEqual([['example-drift', 'octo']]);
    expect(mock.interactions[0]?.servedFrom).toEqual({ kind: 'sample' });
  });

  it('is served as it is when asked for by name', async () => {
    const mock = createMockHandler({ document });
    await using server = await startMockServer(mock);
    const response = await fetch(`${server.url}/orgs/octo-org`, { headers: { prefer: 'example=octo' } });
    expect(await response.json()).toEqual({ login: 'octo-org' });
    expect(response.headers.get(PROBLEMS_HEADER)).toContain('example octo for getOrg (200)');
    expect(mock.interactions[0]?.servedFrom).toEqual({ kind: 'example', name: 'octo' });
  });
});
