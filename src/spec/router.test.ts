import { describe, expect, it } from 'vitest';
import type { OpenApiDocument } from './document.js';
import { createRouter } from './router.js';

const op = (operationId: string) => ({ operationId, responses: {} });

const document: OpenApiDocument = {
  openapi: '3.0.3',
  servers: [{ url: 'https://api.example.com/v1' }],
  paths: {
    '/castles': { get: op('listCastles'), post: op('createCastle') },
    '/castles/{id}': { get: op('getCastle'), delete: op('deleteCastle') },
    '/castles/mine': { get: op('myCastles') },
    '/castles/{id}/towers/{tower}': { get: { responses: {} } },
    '/files/{name}.{ext}': { get: op('getFile') },
    '/only-post/{x}': { post: op('postX') },
    '/only-post/literal': { get: op('getLiteral') },
    '/commits/{commit_sha}/comments': { get: op('commitComments') },
    '/commits/{ref}/status': { get: op('commitStatus') },
  },
};

describe('createRouter', () => {
  const router = createRouter(document);

  it('names parameters by the matched template when templates share a prefix (GitHub does)', () => {
    expect(router.route('GET', '/v1/commits/abc/comments')).toMatchObject({ params: { commit_sha: 'abc' } });
    expect(router.route('GET', '/v1/commits/main/status')).toMatchObject({ params: { ref: 'main' } });
  });

  it('matches templates under the servers base path and decodes params', () => {
    expect(router.route('GET', '/v1/castles/a%20b')).toMatchObject({
      kind: 'match',
      operationId: 'getCastle',
      operationKey: 'GET /castles/{id}',
      template: '/castles/{id}',
      params: { id: 'a b' },
    });
    expect(router.route('GET', '/castles/1')).toEqual({ kind: 'not-found' });
  });

  it('prefers a literal segment over a parameter', () => {
    expect(router.route('GET', '/v1/castles/mine')).toMatchObject({ operationId: 'myCastles' });
  });

  it('names operations without an operationId by method and template', () => {
    expect(router.route('get', '/v1/castles/1/towers/north')).toMatchObject({
      kind: 'match',
      operationKey: 'GET /castles/{id}/towers/{tower}',
      params: { id: '1', tower: 'north' },
    });
    expect(router.route('GET', '/v1/castles/1/towers/north')).not.toHaveProperty('operationId');
  });

  it('matches parameters inside a segment', () => {
    expect(router.route('GET', '/v1/files/report.pdf')).toMatchObject({
      params: { name: 'report', ext: 'pdf' },
    });
  });

  it('reports 404 and 405 with the allowed methods', () => {
    expect(router.route('GET', '/v1/dragons')).toEqual({ kind: 'not-found' });
    expect(router.route('GET', '/v1/castles/')).toEqual({ kind: 'not-found' });
    expect(router.route('PUT', '/v1/castles/1')).toEqual({
      kind: 'method-not-allowed',
      template: '/castles/{id}',
      allowed: ['GET', 'DELETE'],
    });
  });

  it('falls back to a templated path that has the method when the literal one does not', () => {
    expect(router.route('POST', '/v1/only-post/literal')).toMatchObject({ operationId: 'postX' });
  });

  it('finds operations by operationId and by key', () => {
    expect(router.find('createCastle')?.operationKey).toBe('POST /castles');
    expect(router.find('GET /castles/{id}/towers/{tower}')?.method).toBe('get');
    expect(router.find('nope')).toBeUndefined();
  });
});
