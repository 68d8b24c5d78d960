import { describe, expect, it } from 'vitest';
import type { OpenApiDocument } from './document.js';
import { createRouter, matchPathTemplate, routeRecordedRequest } from './router.js';

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

describe('routeRecordedRequest', () => {
  const spec: OpenApiDocument = {
    openapi: '3.1.0',
    servers: [{ url: 'https://api.example.com/v1' }],
    paths: {
      '/castles': { get: { operationId: 'listCastles' }, post: { operationId: 'createCastle' } },
      '/castles/{id}': { get: { operationId: 'getCastle' }, delete: {} },
      '/castles/search': { get: { operationId: 'searchCastles' } },
      '/castles/{id}/towers/{tower}': { $ref: '#/components/pathItems/Tower' },
      '/files/{name}.json': { get: { operationId: 'getFile' } },
    },
    components: { pathItems: { Tower: { get: { operationId: 'getTower' } } } },
  };
  const found = (method: string, path: string) => {
    const result = routeRecordedRequest(spec, method, path);
    return result.kind === 'match' ? [result.operationId ?? result.template, result.params] : result;
  };

  it('matches templates, a literal segment beating a parameter, a trailing slash ignored', () => {
    expect(found('GET', '/castles')).toEqual(['listCastles', {}]);
    expect(found('GET', '/castles/search')).toEqual(['searchCastles', {}]);
    expect(found('GET', '/castles/42')).toEqual(['getCastle', { id: '42' }]);
    expect(found('GET', '/castles/a%20b/towers/north')).toEqual(['getTower', { id: 'a b', tower: 'north' }]);
    expect(found('GET', '/files/report.json')).toEqual(['getFile', { name: 'report' }]);
    expect(found('DELETE', '/castles/42/')).toEqual(['/castles/{id}', { id: '42' }]);
  });

  it('honours the servers base path, and accepts paths recorded without it', () => {
    expect(found('GET', '/v1/castles/42')).toEqual(['getCastle', { id: '42' }]);
    expect(found('POST', '/v1/castles')).toEqual(['createCastle', {}]);
    expect(found('POST', '/castles')).toEqual(['createCastle', {}]);
  });

  it('falls back to a templated path that has the method', () => {
    expect(found('DELETE', '/castles/search')).toEqual(['/castles/{id}', { id: 'search' }]);
  });

  it('tells an unknown path from an unknown method', () => {
    expect(routeRecordedRequest(spec, 'GET', '/dragons')).toEqual({ kind: 'not-found' });
    expect(routeRecordedRequest(spec, 'PUT', '/castles/42')).toEqual({
      kind: 'method-not-allowed',
      template: '/castles/{id}',
      allowed: ['GET', 'DELETE'],
    });
  });
});

describe('matchPathTemplate', () => {
  it('needs every segment to match', () => {
    expect(matchPathTemplate('/a/{b}', '/a')).toBeUndefined();
    expect(matchPathTemplate('/a/{b}', '/a/')).toBeUndefined();
    expect(matchPathTemplate('/a/{b}', '/x/1')).toBeUndefined();
    expect(matchPathTemplate('/', '/')).toEqual({});
    expect(matchPathTemplate('/files/{name}.{ext}', '/files/a%20b.pdf')).toEqual({ name: 'a b', ext: 'pdf' });
  });
});

describe('hostile path templates', () => {
  it('routes a long segment against many parameters in one segment in linear time', () => {
    const router = createRouter({
      openapi: '3.0.3',
      paths: { '/x/{a}{b}{c}{d}{e}{f}{g}{h}{i}{j}.z': { get: op('manyInOne') } },
    } as OpenApiDocument);
    // A backtracking engine tries about 200^10 splits before giving up.
    expect(router.route('GET', `/x/${'a'.repeat(200)}`)).toEqual({ kind: 'not-found' });
    expect(router.route('GET', '/x/abcdefghij.z')).toMatchObject({
      operationId: 'manyInOne',
      params: { a: 'a', j: 'j' },
    });
  });
});
