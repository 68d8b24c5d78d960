import { describe, expect, it } from 'vitest';
import { isBuiltInSecretName, nameWords } from './names.js';
import { createRedactor, mergeRedaction, REDACTED, redactExchange, redactStrings } from './redact.js';
import { redactShapes, redactUrl } from './shapes.js';

const jwt =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkFkYSJ9.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';

describe('secret names', () => {
  it('splits names into words', () => {
    expect(nameWords('Ocp-Apim-Subscription-Key')).toEqual(['ocp', 'apim', 'subscription', 'key']);
    expect(nameWords('APIKey')).toEqual(['api', 'key']);
    expect(nameWords('refresh_token')).toEqual(['refresh', 'token']);
  });

  it.each([
    ['Authorization', 'header'],
    ['Proxy-Authorization', 'header'],
    ['Cookie', 'header'],
    ['Set-Cookie', 'header'],
    ['Ocp-Apim-Subscription-Key', 'header'],
    ['X-Auth', 'header'],
    ['Authentication', 'header'],
    ['X-Amz-Signature', 'query'],
    ['X-Amz-Credential', 'query'],
    ['X-Amz-Security-Token', 'header'],
    ['x-api-key', 'header'],
    ['key', 'query'],
    ['sig', 'query'],
    ['password', 'field'],
    ['client_secret', 'field'],
    ['accessToken', 'field'],
    ['refresh_token', 'field'],
    ['privateKey', 'field'],
    ['apiKey', 'field'],
    ['sessionId', 'field'],
  ] as const)('%s (%s) is a secret', (name, kind) => {
    expect(isBuiltInSecretName(name, kind)).toBe(true);
  });

  it.each([
    ['author', 'field'],
    ['key', 'field'],
    ['sortKey', 'field'],
    ['Idempotency-Key', 'header'],
    ['token_type', 'field'],
    ['passwordUpdatedAt', 'field'],
    ['accept', 'header'],
    ['monkey', 'query'],
  ] as const)('%s (%s) is not', (name, kind) => {
    expect(isBuiltInSecretName(name, kind)).toBe(false);
  });
});

describe('credential shapes', () => {
  it.each([
    ['a JWT', jwt],
    ['an AWS access key id', 'AKIAIOSFODNN7EXAMPLE'],
    ['a GitHub token', `ghp_${'a1B2'.repeat(9)}`],
    ['a fine-grained GitHub token', `github_pat_${'a'.repeat(22)}_${'B'.repeat(59)}`],
    ['a GitLab token', 'glpat-abcdefghij0123456789'],
    ['a Slack token', 'xoxb-1234567890-abcdefghij'],
    ['a Stripe secret key', `sk_live_${'4eC39HqLyjWDarjtT1zdp7dc'}`],
    ['a Google API key', `AIza${'SyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q'}`],
    ['an npm token', `npm_${'a'.repeat(36)}`],
    ['bearer credentials', 'Bearer abc.def-123'],
  ])('finds %s inside text', (_what, secret) => {
    const text = `before ${secret} after`;
    expect(redactShapes(text)).toBe(
      `before ${secret.startsWith('Bearer') ? 'Bearer ' : ''}${REDACTED} after`,
    );
  });

  it('redacts PEM private keys whole', () => {
    const pem = '-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nAAAA\n-----END RSA PRIVATE KEY-----';
    expect(redactShapes(`key: ${pem}.`)).toBe(`key: ${REDACTED}.`);
  });

  it('takes the credentials out of URLs and leaves plain logins and ordinary text', () => {
    expect(redactUrl('https://x-access-token:s3cr3t@github.com/acme/contracts.git')).toBe(
      `https://x-access-token:${REDACTED}@github.com/acme/contracts.git`,
    );
    expect(redactUrl(`https://${'t0ken'.repeat(5)}@example.com/r.git`)).toBe(
      `https://${REDACTED}@example.com/r.git`,
    );
    expect(redactUrl('ssh://git@github.com/acme/contracts.git')).toBe(
      'ssh://git@github.com/acme/contracts.git',
    );
    expect(
      redactShapes('GET https://s3.example.com/o?X-Amz-Credential=AK%2F1&X-Amz-Signature=abc&region=eu'),
    ).toBe(`GET https://s3.example.com/o?X-Amz-Credential=${REDACTED}&X-Amz-Signature=${REDACTED}&region=eu`);
    expect(redactShapes('Basic information about a castle')).toBe('Basic information about a castle');
  });
});

describe('createRedactor', () => {
  it('redacts headers by name and by shape, lower-casing names', () => {
    const redactor = createRedactor({ headers: ['X-Internal-Signed'] });
    expect(
      redactor.headers({
        Authorization: 'Bearer x',
        'Ocp-Apim-Subscription-Key': 'k',
        'X-Internal-Signed': 'v',
        'X-Forwarded-Token-Type': 'jwt',
        'X-Echo': jwt,
        accept: 'application/json',
      }),
    ).toEqual({
      authorization: REDACTED,
      'ocp-apim-subscription-key': REDACTED,
      'x-internal-signed': REDACTED,
      'x-forwarded-token-type': 'jwt',
      'x-echo': REDACTED,
      accept: 'application/json',
    });
  });

  it('redacts query parameters, short names included', () => {
    expect(
      createRedactor().query({ key: 'k', sig: 's', access_token: ['a', 'b'], region: 'Centre' }),
    ).toEqual({ key: REDACTED, sig: REDACTED, access_token: [REDACTED, REDACTED], region: 'Centre' });
  });

  it('redacts JSON bodies by key at any depth, keeping JSON types and structure', () => {
    const body = {
      user: { name: 'Ada', password: 'hunter2', pin: 1234 },
      session: { accessToken: jwt, refresh_token: 'r', expiresIn: 3600 },
      credentials: { username: 'ada', mfa: true },
      note: `token ${jwt}`,
      token_type: 'Bearer',
      key: 'castle-1',
    };
    expect(createRedactor().body(body, 'application/json')).toEqual({
      user: { name: 'Ada', password: REDACTED, pin: 1234 },
      session: { accessToken: REDACTED, refresh_token: REDACTED, expiresIn: 0 },
      credentials: { username: REDACTED, mfa: false },
      note: `token ${REDACTED}`,
      token_type: 'Bearer',
      key: 'castle-1',
    });
    expect(body.user.password).toBe('hunter2');
  });

  it('applies configured body paths, names and exemptions', () => {
    const redactor = createRedactor({
      bodyPaths: ['profile.ssn', 'cards[].number', 'keys'],
      names: ['pin'],
      exempt: ['session'],
    });
    expect(
      redactor.body({
        pin: 1234,
        session: { id: 's-1' },
        profile: { ssn: '123', name: 'Ada' },
        cards: [{ number: '4111', last4: '1111' }, { number: '5500' }],
        keys: ['a', 'b'],
        password: 'p',
      }),
    ).toEqual({
      pin: 0,
      session: { id: 's-1' },
      profile: { ssn: REDACTED, name: 'Ada' },
      cards: [{ number: REDACTED, last4: '1111' }, { number: REDACTED }],
      keys: [],
      password: REDACTED,
    });
  });

  it('redacts form-urlencoded fields by name and by body path, keeping the other pairs as they were', () => {
    const redactor = createRedactor({ bodyPaths: ['ssn'] });
    expect(
      redactor.body(
        'username=ada&password=hunter%202&ssn=123&next=%2Fhome',
        'application/x-www-form-urlencoded',
      ),
    ).toBe(`username=ada&password=${REDACTED}&ssn=${REDACTED}&next=%2Fhome`);
    expect(redactor.body('grant_type=password&client_secret=xyz')).toBe(
      `grant_type=password&client_secret=${REDACTED}`,
    );
  });

  it('redacts multipart fields by name', () => {
    const body = [
      '--b0',
      'Content-Disposition: form-data; name="username"',
      '',
      'ada',
      '--b0',
      'Content-Disposition: form-data; name="password"',
      '',
      'hunter2',
      '--b0--',
      '',
    ].join('\r\n');
    const redacted = createRedactor().body(body, 'multipart/form-data; boundary=b0') as string;
    expect(redacted).toContain('\r\n\r\nada\r\n');
    expect(redacted).toContain(`name="password"\r\n\r\n${REDACTED}\r\n--b0--`);
    expect(redacted).not.toContain('hunter2');
  });

  it('scrubs every secret it has replaced, and remembered ones, from text', () => {
    const redactor = createRedactor();
    redactor.body({ password: 'hunter2-long' });
    redactor.remember('supplied-secret');
    expect(redactor.text('expected string, got "hunter2-long"; sent supplied-secret')).toBe(
      `expected string, got "${REDACTED}"; sent ${REDACTED}`,
    );
    expect(redactor.value({ echo: ['supplied-secret'] })).toEqual({ echo: [REDACTED] });
  });
});

describe('helpers', () => {
  it('merges configurations list by list', () => {
    expect(
      mergeRedaction({ names: ['a'], exempt: ['s'] }, undefined, { names: ['b'], bodyPaths: ['x.y'] }),
    ).toEqual({
      names: ['a', 'b'],
      exempt: ['s'],
      bodyPaths: ['x.y'],
    });
  });

  it('redacts a fixture-like exchange on both sides, by its content type', () => {
    const data = {
      request: {
        method: 'POST',
        path: '/login',
        query: { sig: 's' },
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'user=ada&password=pw',
      },
      response: { status: 200, headers: { 'set-cookie': 'sid=1' }, body: { access_token: 'a', ok: true } },
    };
    expect(redactExchange(data, createRedactor())).toEqual({
      request: {
        method: 'POST',
        path: '/login',
        query: { sig: REDACTED },
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `user=ada&password=${REDACTED}`,
      },
      response: {
        status: 200,
        headers: { 'set-cookie': REDACTED },
        body: { access_token: REDACTED, ok: true },
      },
    });
  });

  it('redacts a value found under a secret name whole, and only shapes elsewhere', () => {
    const redactor = createRedactor();
    expect(redactor.named('accessToken', { value: 'v', n: 2 })).toEqual({ value: REDACTED, n: 0 });
    expect(redactor.named('stock', 'plain')).toBe('plain');
    expect(redactStrings({ a: [`x ${jwt}`], n: 1, password: 'kept: names are not redacted here' })).toEqual({
      a: [`x ${REDACTED}`],
      n: 1,
      password: 'kept: names are not redacted here',
    });
  });
});
