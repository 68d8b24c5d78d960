import { describe, expect, it } from 'vitest';
import type { OpenApiDocument } from '../spec/document.js';
import { matchPathTemplate, routeRequest } from './route.js';

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
  const result = routeRequest(spec, method, path);
  return result.kind === 'found'
    ? [result.match.operationId ?? result.match.pathTemplate, result.match.pathParameters]
    : result;
};

describe('routeRequest', () => {
  it('matches templates, a literal segment beating a parameter', () => {
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
    expect(routeRequest(spec, 'GET', '/dragons')).toEqual({ kind: 'unknown-path' });
    expect(routeRequest(spec, 'PUT', '/castles/42')).toEqual({
      kind: 'unknown-method',
      pathTemplate: '/castles/{id}',
      allowed: ['get', 'delete'],
    });
  });
});

describe('matchPathTemplate', () => {
  it('needs every segment to match', () => {
    expect(matchPathTemplate('/a/{b}', '/a')).toBeUndefined();
    expect(matchPathTemplate('/a/{b}', '/a/')).toBeUndefined();
    expect(matchPathTemplate('/a/{b}', '/x/1')).toBeUndefined();
    expect(matchPathTemplate('/', '/')).toEqual({});
  });
});
