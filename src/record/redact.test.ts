import { describe, expect, it } from 'vitest';
import { parseBodyPath } from '../contract/body-path.js';
import { REDACTED, redactBody, redactHeaders, redactQuery } from './redact.js';

const paths = (...texts: string[]) => texts.map(parseBodyPath);

describe('redactBody', () => {
  it('replaces the value at each path, in every array element, keeping its JSON type', () => {
    const body = {
      password: 'hunter2',
      pin: 1234,
      admin: true,
      profile: { ssn: '123', name: 'Ada' },
      cards: [{ number: '4111', last4: '1111' }, { number: '5500' }],
      keys: ['a', 'b'],
    };
    expect(
      redactBody(body, paths('password', 'pin', 'admin', 'profile.ssn', 'cards[].number', 'keys')),
    ).toEqual({
      password: REDACTED,
      pin: 0,
      admin: false,
      profile: { ssn: REDACTED, name: 'Ada' },
      cards: [{ number: REDACTED, last4: '1111' }, { number: REDACTED }],
      keys: [],
    });
    expect(body.password).toBe('hunter2');
  });

  it('reaches a top-level array and ignores paths that name nothing', () => {
    expect(redactBody([{ token: 't1' }, { other: 1 }], paths('[].token', 'missing.deep'))).toEqual([
      { token: REDACTED },
      { other: 1 },
    ]);
    expect(redactBody('plain text', paths('password'))).toBe('plain text');
  });
});

describe('redactHeaders and redactQuery', () => {
  it('redact the credential headers, api-key/token-like names and configured ones', () => {
    expect(
      redactHeaders(
        {
          Authorization: 'Bearer x',
          'Set-Cookie': 'sid=1',
          'X-Api-Key': 'k',
          'x-auth-token': 't',
          'x-signature': 's',
          accept: 'application/json',
        },
        ['X-Signature'],
      ),
    ).toEqual({
      authorization: REDACTED,
      'set-cookie': REDACTED,
      'x-api-key': REDACTED,
      'x-auth-token': REDACTED,
      'x-signature': REDACTED,
      accept: 'application/json',
    });
    expect(redactQuery({ api_key: 'k', access_token: ['a', 'b'], region: 'Centre' })).toEqual({
      api_key: REDACTED,
      access_token: [REDACTED, REDACTED],
      region: 'Centre',
    });
  });
});
