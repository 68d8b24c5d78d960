/**
 * The secrets corpus: credentials of every kind entente redacts, sent by a
 * consumer through the mock under `entente record`, and returned by a
 * provider under `entente verify` (plus the values the provider supplies).
 * Afterwards no secret is in the contracts repository's whole history, the
 * pending folder, or any line the CLI printed. Real CLI, real git, real HTTP.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, runCli } from '../helpers/cli.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';

const exec = promisify(execFile);
const DIST = pathToFileURL(join(import.meta.dirname, '../../dist/index.js')).href;

const jwt = (who: string) =>
  `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify({ sub: who })).toString('base64url')}.c2lnbmF0dXJlLW9mLSR7d2hvfQ`;

/** What the consumer sends through the mock, and what the mock's local fixture answers. */
const consumerSecrets = {
  authorization: 'c0nsumer-authz-7f3a9b2c',
  apim: 'c0nsumer-apim-5d1e8f20',
  xAuth: 'c0nsumer-xauth-91ab33ef',
  authentication: 'c0nsumer-authn-44ce10aa',
  cookie: 'c0nsumer-cookie-2b7d6e1f',
  traceJwt: jwt('consumer-trace'),
  queryKey: 'c0nsumer-qkey-8812aa0b',
  querySig: 'c0nsumer-qsig-77bc01de',
  amzSignature: 'c0nsumer-amzsig-0d9e4c3b',
  amzCredential: 'c0nsumer-amzcred-5e6f7a8b',
  queryGithub: `ghp_${'C0nsumerGithubToken'.padEnd(36, 'x')}`,
  password: 'c0nsumer-password-3c4d5e6f',
  clientSecret: 'c0nsumer-clsecret-6a7b8c9d',
  privateKey: 'c0nsumer-privkey-1f2e3d4c',
  refreshToken: 'c0nsumer-refresh-9a8b7c6d',
  awsKey: 'AKIACONSUMER0000KEY1',
  formPassword: 'c0nsumer-formpass-1a2b3c4d',
  formClientSecret: 'c0nsumer-formsecret-5e6f7a8b',
  multipartApiKey: 'c0nsumer-mpapikey-0a1b2c3d',
  slackToken: 'xoxb-c0nsumer-5555-slacktoken',
  statePassword: 'c0nsumer-statepass-4d5e6f7a',
  stateToken: 'c0nsumer-statetoken-8b9c0d1e',
  fixtureToken: 'c0nsumer-fixturetoken-2c3d4e5f',
  fixtureApiKey: 'c0nsumer-fixtureapikey-6a7b8c9d',
  fixtureStripe: 'sk_live_C0nsumerStripeKey000001',
  fixtureSetCookie: 'c0nsumer-setcookie-3e4f5a6b',
};

/** What the provider's test setup supplies to verify, and what the provider answers. */
const providerSecrets = {
  authorization: 'pr0vider-authz-1b2c3d4e',
  apim: 'pr0vider-apim-5f6a7b8c',
  xAuth: 'pr0vider-xauth-9d0e1f2a',
  authentication: 'pr0vider-authn-3b4c5d6e',
  cookie: 'pr0vider-cookie-7f8a9b0c',
  traceJwt: jwt('provider-trace'),
  queryKey: 'pr0vider-qkey-1d2e3f4a',
  amzSignature: 'pr0vider-amzsig-5b6c7d8e',
  amzCredential: 'pr0vider-amzcred-9f0a1b2c',
  queryGithub: `ghp_${'Pr0viderGithubToken'.padEnd(36, 'y')}`,
  password: 'pr0vider-password-3d4e5f6a',
  clientSecret: 'pr0vider-clsecret-7b8c9d0e',
  privateKey: 'pr0vider-privkey-1f2a3b4c',
  refreshToken: 'pr0vider-refresh-5d6e7f8a',
  awsKey: 'AKIAPROVIDER0000KEY1',
  multipartApiKey: 'pr0vider-mpapikey-9b0c1d2e',
  slackToken: 'xoxb-pr0vider-6666-slacktoken',
  responseToken: 'pr0vider-resptoken-3f4a5b6c',
  responseApiKey: 'pr0vider-respapikey-7d8e9f0a',
  responseGitlab: 'glpat-Pr0viderGitlabToken0001',
  responseSetCookie: 'pr0vider-setcookie-1b2c3d4e',
  objectToken: 'pr0vider-objtoken-5f6a7b8c',
  sessionJwt: jwt('provider-session'),
  loginToken: 'pr0vider-logintoken-9d0e1f2a',
  presignedSig: 'pr0vider-presigned-3b4c5d6e',
};

const contractsToken = `ghs_${'Contr4ctsUrlToken'.padEnd(36, 'z')}`;
const everySecret = [...Object.values(consumerSecrets), ...Object.values(providerSecrets), contractsToken];

const spec = {
  openapi: '3.0.3',
  info: { title: 'vault-service', version: '1.0.0' },
  paths: {
    '/things/{id}': {
      get: {
        operationId: 'getThing',
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
          ...['key', 'X-Amz-Signature', 'X-Amz-Credential', 'q'].map((name) => ({
            name,
            in: 'query',
            schema: { type: 'string' },
          })),
        ],
        responses: {
          '200': {
            description: 'a thing',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['id', 'accessToken'],
                  properties: {
                    id: { type: 'string' },
                    accessToken: { type: 'string' },
                    owner: { type: 'object', properties: { apiKey: { type: 'string' } } },
                    note: { type: 'string' },
                    echo: { type: 'string' },
                  },
                },
              },
            },
          },
        },
      },
    },
    '/signed/{id}': {
      get: {
        operationId: 'getSigned',
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'sig', in: 'query', schema: { type: 'string' } },
        ],
        responses: {
          '200': {
            description: 'signed',
            content: {
              'application/json': {
                schema: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
                example: { id: 's-1' },
              },
            },
          },
        },
      },
    },
    '/sessions': {
      post: {
        operationId: 'createSession',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  username: { type: 'string' },
                  password: { type: 'string' },
                  client_secret: { type: 'string' },
                  private_key: { type: 'string' },
                  nested: { type: 'object', properties: { refreshToken: { type: 'string' } } },
                  note: { type: 'string' },
                },
              },
            },
          },
        },
        responses: {
          '201': {
            description: 'a session',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['accessToken', 'expiresIn'],
                  properties: {
                    accessToken: { type: 'string' },
                    expiresIn: { type: 'integer' },
                    jwt: { type: 'string' },
                  },
                },
                example: { accessToken: 'example', expiresIn: 3600 },
              },
            },
          },
        },
      },
    },
    '/login': {
      post: {
        operationId: 'login',
        requestBody: {
          required: true,
          content: { 'application/x-www-form-urlencoded': { schema: { type: 'object' } } },
        },
        responses: {
          '200': {
            description: 'logged in',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: { token_type: { type: 'string' }, access_token: { type: 'string' } },
                },
                example: { token_type: 'Bearer', access_token: 'example' },
              },
            },
          },
        },
      },
    },
    '/upload': {
      post: {
        operationId: 'upload',
        requestBody: { required: true, content: { 'multipart/form-data': { schema: { type: 'object' } } } },
        responses: {
          '201': {
            description: 'uploaded',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: { id: { type: 'string' }, uploadUrl: { type: 'string' } },
                },
                example: { id: 'u-1', uploadUrl: 'https://uploads.example/u-1' },
              },
            },
          },
        },
      },
    },
  },
};

/** The consumer's test: every kind of secret through the mock; exits 1 when FAIL is set (so the recordings stay pending). */
function consumerScript(): string {
  const s = consumerSecrets;
  const fixture = {
    operation: 'getThing',
    data: {
      request: { method: 'GET', path: '/things/t-1' },
      response: {
        status: 200,
        headers: { 'content-type': 'application/json', 'set-cookie': `session=${s.fixtureSetCookie}` },
        body: {
          id: 't-1',
          accessToken: s.fixtureToken,
          owner: { apiKey: s.fixtureApiKey },
          note: `billing uses ${s.fixtureStripe}`,
        },
      },
    },
  };
  return `
import { createMock } from ${JSON.stringify(DIST)};
const s = ${JSON.stringify(s)};
const mock = await createMock('vault-service', 'latest', { localFixtures: [${JSON.stringify(fixture)}] });
const check = async (what, response) => {
  if (!response.ok) throw new Error(what + ': ' + response.status + ' ' + (await response.text()));
  await response.text();
};
try {
  const query = new URLSearchParams({ key: s.queryKey, 'X-Amz-Signature': s.amzSignature, 'X-Amz-Credential': s.amzCredential, q: s.queryGithub });
  await check('getThing', await fetch(mock.url + '/things/t-1?' + query, { headers: {
    authorization: 'Bearer ' + s.authorization,
    'ocp-apim-subscription-key': s.apim,
    'x-auth': s.xAuth,
    authentication: s.authentication,
    cookie: 'sid=' + s.cookie,
    'x-trace': s.traceJwt,
  } }));
  await check('getSigned', await fetch(mock.url + '/signed/s-1?sig=' + s.querySig));
  mock.given('user ada exists', { password: s.statePassword, accessToken: s.stateToken, name: 'ada' });
  await check('createSession', await fetch(mock.url + '/sessions', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'ada', password: s.password, client_secret: s.clientSecret, private_key: s.privateKey, nested: { refreshToken: s.refreshToken }, note: s.awsKey }),
  }));
  mock.resetGiven();
  await check('login', await fetch(mock.url + '/login', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'username=ada&password=' + s.formPassword + '&client_secret=' + s.formClientSecret,
  }));
  const form = new FormData();
  form.append('name', 'report');
  form.append('api_key', s.multipartApiKey);
  form.append('channelHook', s.slackToken);
  await check('upload', await fetch(mock.url + '/upload', { method: 'POST', body: form }));
} finally {
  await mock.close();
}
if (process.env.FAIL) process.exit(1);
`;
}

/** vault-service as its test setup runs it: answers with secrets of its own, and echoes what it was sent. */
function startProvider(): Promise<{ url: string; server: Server; received: string[] }> {
  const p = providerSecrets;
  const received: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://provider');
      received.push(`${req.method} ${req.url} ${JSON.stringify(req.headers)} ${Buffer.concat(chunks)}`);
      const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(body));
      };
      if (url.pathname === '/_state') return json(200, {});
      if (url.pathname === '/things/t-1') {
        return json(
          200,
          {
            id: 't-1',
            accessToken: p.responseToken,
            owner: { apiKey: p.responseApiKey },
            note: `deploys with ${p.responseGitlab}`,
            echo: String(req.headers.authorization),
          },
          { 'set-cookie': `session=${p.responseSetCookie}` },
        );
      }
      if (url.pathname === '/signed/s-1') return json(200, { id: 's-1' });
      // The contract relies on a string accessToken: an object holding a token is a mismatch whose actual value is secret.
      if (url.pathname === '/sessions') {
        return json(201, { accessToken: { value: p.objectToken }, expiresIn: 60, jwt: p.sessionJwt });
      }
      if (url.pathname === '/login') return json(200, { token_type: 'Bearer', access_token: p.loginToken });
      if (url.pathname === '/upload') {
        return json(201, {
          id: 'u-1',
          uploadUrl: `https://uploads.example/u-1?X-Amz-Signature=${p.presignedSig}&region=eu`,
        });
      }
      json(404, {});
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({ url: `http://127.0.0.1:${port}`, server, received });
    }),
  );
}

let sandbox: Sandbox;
let provider: Awaited<ReturnType<typeof startProvider>>;
beforeAll(async () => {
  sandbox = createSandbox();
  provider = await startProvider();
});
afterAll(async () => {
  await new Promise((resolve) => provider?.server.close(resolve));
  sandbox.cleanup();
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

function leaked(text: string): string[] {
  return everySecret.filter((secret) => text.includes(secret));
}

describe('the secrets corpus', () => {
  it('keeps every kind of secret out of the contracts repository, the pending folder and the output', async () => {
    const remote = await sandbox.bareRemote();
    const project = sandbox.dir('vault-client');
    const pending = join(project, '.entente', 'pending');
    await exec('mkdir', ['-p', project]);
    writeFileSync(join(project, 'openapi.json'), JSON.stringify(spec, null, 2));
    writeFileSync(join(project, 'consumer.mjs'), consumerScript());
    const env = { ...sandbox.env, ENTENTE_CONTRACTS: remote, ENTENTE_PENDING_DIR: pending };
    const consumerEnv = {
      ...env,
      ENTENTE_SERVICE: 'vault-client',
      ENTENTE_VERSION: '1.0.0',
      ENTENTE_BRANCH: 'main',
    };
    const outputs: CliResult[] = [];
    const cli = async (args: string[], runEnv: Record<string, string> = env) => {
      const result = await runCli(args, { cwd: project, env: runEnv });
      outputs.push(result);
      return result;
    };

    const published = await cli([
      'publish-spec',
      '--spec',
      'openapi.json',
      '--service',
      'vault-service',
      '--version',
      '1.0.0',
      '--branch',
      'main',
    ]);
    expect(published.code, published.stderr).toBe(0);

    // A failing test run: its recordings stay in the pending folder.
    const failed = await cli(['record', '--', process.execPath, 'consumer.mjs'], {
      ...consumerEnv,
      FAIL: '1',
    });
    expect(failed.code, failed.stderr).toBe(1);
    const pendingFiles = filesUnder(pending);
    expect(pendingFiles).toHaveLength(5);
    const pendingText = pendingFiles.map((file) => readFileSync(file, 'utf8')).join('\n');
    expect(leaked(pendingText)).toEqual([]);
    // Redacted, not dropped: the contract still says the values were there.
    expect(pendingText).toContain('"ocp-apim-subscription-key": "[redacted]"');
    expect(pendingText).toContain('password=[redacted]&client_secret=[redacted]');
    expect(pendingText).toContain('"X-Amz-Credential": "[redacted]"');

    const recorded = await cli(['record', '--', process.execPath, 'consumer.mjs'], consumerEnv);
    expect(recorded.code, recorded.stderr).toBe(0);
    expect(recorded.stdout).toMatch(/Published vault-client@1\.0\.0 → vault-service: 5 interactions/);

    const p = providerSecrets;
    const verifyArgs = [
      'verify',
      '--fail-on-pending',
      '--provider',
      'vault-service',
      '--version',
      '1.0.0',
      '--base-url',
      provider.url,
      '--state-url',
      `${provider.url}/_state`,
      '--header',
      `Authorization: Bearer ${p.authorization}`,
      '--header',
      `Ocp-Apim-Subscription-Key: ${p.apim}`,
      '--header',
      `X-Auth: ${p.xAuth}`,
      '--header',
      `Authentication: ${p.authentication}`,
      '--header',
      `Cookie: sid=${p.cookie}`,
      '--header',
      `X-Trace: ${p.traceJwt}`,
      '--query',
      `key=${p.queryKey}`,
      '--query',
      `X-Amz-Signature=${p.amzSignature}`,
      '--query',
      `X-Amz-Credential=${p.amzCredential}`,
      '--query',
      `q=${p.queryGithub}`,
      '--field',
      `password=${p.password}`,
      '--field',
      `client_secret=${p.clientSecret}`,
      '--field',
      `private_key=${p.privateKey}`,
      '--field',
      `refreshToken=${p.refreshToken}`,
      '--field',
      `note=${p.awsKey}`,
      '--field',
      `api_key=${p.multipartApiKey}`,
      '--field',
      `channelHook=${p.slackToken}`,
    ];
    const verified = await cli(verifyArgs);
    expect(verified.code, verified.stderr).toBe(1);
    // getSigned's sig was not supplied: never sent, and the message says what to supply.
    expect(verified.stdout).toContain("supply query parameter sig (--query 'sig=…')");
    expect(provider.received.some((line) => line.startsWith('GET /signed/'))).toBe(false);
    // The provider's API received the supplied values, never a placeholder (state calls get the redacted params).
    const sent = provider.received.filter((line) => !line.startsWith('POST /_state')).join('\n');
    expect(sent).not.toContain('[redacted]');
    expect(sent).toContain(p.apim);
    expect(sent).toContain(encodeURIComponent(p.queryGithub));
    expect(sent).toContain(p.slackToken);
    expect(sent).toContain(p.password);
    // createSession fails on a mismatch whose actual value holds a token (the spec promises a string).
    expect(verified.stdout).toContain('$.accessToken');

    const json = await cli([...verifyArgs, '--json', '--no-publish']);
    expect(json.code).toBe(1);
    const result = JSON.parse(json.stdout);
    const thing = result.contracts[0].interactions.find(
      (i: { operation: string }) => i.operation === 'getThing',
    );
    expect(thing.response.body.accessToken).toBe('[redacted]');
    expect(thing.response.headers['set-cookie']).toBe('[redacted]');

    const drafts = await cli(['fixtures', 'list', '--service', 'vault-service', '--json']);
    expect(drafts.code, drafts.stderr).toBe(0);
    const fixtureIds: string[] = JSON.parse(drafts.stdout).fixtures.map((f: { id: string }) => f.id);
    expect(fixtureIds.length).toBeGreaterThan(0);
    for (const id of fixtureIds) await cli(['fixtures', 'show', id, '--service', 'vault-service']);
    await cli(['status']);
    await cli(['pending', '--provider', 'vault-service', '--json']);

    // A contracts URL with a token, as CI recipes set it: errors and --json lose the token.
    const tokenUrl = `https://x-access-token:${contractsToken}@127.0.0.1:9/acme/contracts.git`;
    const unreachable = await cli(['status', '--contracts', tokenUrl]);
    expect(unreachable.code).toBe(4);
    expect(unreachable.stderr).toContain('x-access-token:[redacted]@127.0.0.1:9');
    const unreachableJson = await cli(['status', '--json', '--contracts', tokenUrl]);
    expect(unreachableJson.code).toBe(4);

    const history = await sandbox.git(remote, 'log', '-p', '--all');
    expect(history).toContain('[redacted]');
    expect(leaked(history)).toEqual([]);
    const stored = await sandbox.git(remote, 'ls-tree', '-r', '--name-only', 'main');
    expect(stored).toMatch(/^verifications\//m);
    expect(stored).toMatch(/^fixtures\/vault-service\//m);
    expect(
      leaked(
        filesUnder(pending)
          .map((file) => readFileSync(file, 'utf8'))
          .join('\n'),
      ),
    ).toEqual([]);
    const printed = outputs.map((o) => `${o.stdout}\n${o.stderr}`).join('\n');
    expect(leaked(printed)).toEqual([]);
  });
});
