import { describe, expect, it } from 'vitest';
import { deref, type OpenApiDocument, resolvePointer, serverBasePath } from './document.js';

describe('document helpers', () => {
  const doc = {
    openapi: '3.0.3',
    components: {
      schemas: { A: { $ref: '#/components/schemas/B' }, B: { type: 'string' }, 'x/y': { type: 'integer' } },
    },
  };

  it('resolves pointers and ref chains', () => {
    expect(resolvePointer(doc, '#/components/schemas/B')).toEqual({ type: 'string' });
    expect(resolvePointer(doc, '#/components/schemas/x~1y')).toEqual({ type: 'integer' });
    expect(deref(doc, { $ref: '#/components/schemas/A' })).toEqual({ type: 'string' });
    expect(deref(doc, { $ref: '#/components/schemas/Nope' })).toBeUndefined();
  });

  it('stops at ref cycles', () => {
    const cyclic = { c: { $ref: '#/d' }, d: { $ref: '#/c' } };
    expect(deref(cyclic, { $ref: '#/c' })).toBeUndefined();
  });

  it('finds the servers base path', () => {
    const base = (url?: string) =>
      serverBasePath({ openapi: '3.0.3', servers: url ? [{ url }] : undefined } as OpenApiDocument);
    expect(base()).toBe('');
    expect(base('/')).toBe('');
    expect(base('https://api.example.com/v1/')).toBe('/v1');
    expect(base('{scheme}://{host}/api/{version}')).toBe('/api/x');
    const withDefaults = {
      openapi: '3.0.3',
      servers: [{ url: 'https://{host}/api/{version}', variables: { version: { default: 'v2' } } }],
    } as OpenApiDocument;
    expect(serverBasePath(withDefaults)).toBe('/api/v2');
    expect(base('/api')).toBe('/api');
  });
});
