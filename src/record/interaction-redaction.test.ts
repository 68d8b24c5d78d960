import { describe, expect, it } from 'vitest';
import { REDACTED } from '../redact/redact.js';
import { toInteraction } from './interaction.js';

const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZGEifQ.c2lnbmF0dXJl';

describe('toInteraction redacts before anything is written', () => {
  it('headers, query, path, both bodies and provider-state parameters, with the configured additions', () => {
    const interaction = toInteraction(
      {
        operation: 'login',
        given: [{ state: 'user exists', params: { name: 'ada', password: 'pw-1', pin: 1234 } }],
        request: {
          method: 'post',
          path: `/invites/${jwt}`,
          query: { key: 'k-1', region: 'eu' },
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'Ocp-Apim-Subscription-Key': 'apim-1',
            'x-request-source': 'web',
          },
          body: 'user=ada&password=pw-2&pin=5678',
        },
        response: {
          status: 200,
          headers: { 'content-type': 'application/json', 'set-cookie': 'sid=1' },
          body: { access_token: 'at-1', token_type: 'Bearer', user: { name: 'ada' } },
        },
      },
      { redact: { names: ['pin'], exempt: ['key'] } },
    );
    expect(interaction.given).toEqual([
      { state: 'user exists', params: { name: 'ada', password: REDACTED, pin: 0 } },
    ]);
    expect(interaction.request).toEqual({
      method: 'POST',
      path: `/invites/${REDACTED}`,
      query: { key: 'k-1', region: 'eu' },
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'ocp-apim-subscription-key': REDACTED,
        'x-request-source': 'web',
      },
      body: `user=ada&password=${REDACTED}&pin=${REDACTED}`,
    });
    expect(interaction.response).toMatchObject({
      headers: { 'content-type': 'application/json', 'set-cookie': REDACTED },
      body: { access_token: REDACTED, token_type: 'Bearer', user: { name: 'ada' } },
    });
  });
});
