// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Pact generator expressions are written ${name}
import { describe, expect, it } from 'vitest';
import type { Interaction } from '../model/records.js';
import { applyProviderStateGenerators } from './generators.js';

const interaction = (generators: Record<string, unknown>): Interaction => ({
  id: '0'.repeat(64),
  operation: 'getCastle',
  request: {
    method: 'GET',
    path: '/castles/1',
    query: { region: 'x' },
    body: { owner: { id: 1 }, note: 'n' },
  },
  response: { status: 200 },
  pact: { request: { generators } },
});

describe('applyProviderStateGenerators', () => {
  it('replaces path, query, header and body values from the provider state values', () => {
    const applied = applyProviderStateGenerators(
      interaction({
        path: { type: 'ProviderState', expression: '/castles/${id}' },
        query: { region: { type: 'ProviderState', expression: '${region}' } },
        header: { 'X-Owner': { type: 'ProviderState', expression: 'owner-${ownerId}' } },
        body: { '$.owner.id': { type: 'ProviderState', expression: '${ownerId}' } },
      }),
      { id: 'abc', region: 'Loire', ownerId: 42 },
    );
    expect(applied.request).toEqual({
      method: 'GET',
      path: '/castles/abc',
      query: { region: 'Loire' },
      headers: { 'X-Owner': 'owner-42' },
      body: { owner: { id: 42 }, note: 'n' },
    });
  });

  it('leaves the request as recorded when a value is missing, or for other generators', () => {
    const original = interaction({
      path: { type: 'ProviderState', expression: '/castles/${id}' },
      body: { '$.note': { type: 'RandomString', size: 10 } },
    });
    expect(applyProviderStateGenerators(original, {}).request).toEqual(original.request);
  });
});
