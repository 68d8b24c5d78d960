/**
 * `entente mock` bounds what a client can make it hold: request bodies over
 * the limit are answered 413 problem+json without being buffered, validated
 * or recorded, and the exchange history kept in memory has a fixed size.
 */

import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockHandler, DEFAULT_MAX_REQUEST_BYTES } from '../../src/mock/handler.js';
import type { OpenApiDocument } from '../../src/openapi/document.js';
import { parseJsonOrYaml } from '../../src/util/parse.js';
import { startCli } from '../helpers/cli.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';

const SPEC = `openapi: 3.0.3
info: {title: Castles, version: "1"}
paths:
  /castles:
    post:
      operationId: createCastle
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, properties: {name: {type: string}}}
      responses:
        "201":
          description: created
          content:
            application/json:
              schema: {type: object, required: [name], properties: {name: {type: string}}}
`;

let sandbox: Sandbox;
let cwd: string;
let pending: string;
let env: Record<string, string>;

beforeAll(async () => {
  sandbox = createSandbox();
  cwd = sandbox.dir('project');
  mkdirSync(cwd);
  writeFileSync(join(cwd, 'openapi.yaml'), SPEC);
  pending = join(cwd, 'pending');
  env = {
    ...sandbox.env,
    ENTENTE_CONTRACTS: await sandbox.bareRemote(),
    ENTENTE_SERVICE: 'castle-client',
    ENTENTE_VERSION: '0.1.0',
    ENTENTE_PENDING_DIR: pending,
  };
});
afterAll(() => sandbox.cleanup());

const pendingFiles = (): string[] => {
  try {
    return readdirSync(pending, { recursive: true })
      .map(String)
      .filter((name) => name.endsWith('.json'));
  } catch {
    return [];
  }
};

async function withMock(args: string[], use: (url: string) => Promise<void>): Promise<void> {
  const { child, done } = startCli(
    ['mock', 'castle-service', '--spec', 'openapi.yaml', '--port', '0', '--record', ...args],
    { cwd, env },
  );
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let stdout = '';
      child.stdout?.on('data', (chunk) => {
        stdout += chunk;
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
        if (match) resolve(match[1]!);
      });
      done.then((result) => reject(new Error(`entente mock exited early: ${result.stderr}`)), reject);
    });
    await use(url);
  } finally {
    child.kill('SIGTERM');
    await done;
  }
}

/** POSTs `size` bytes of JSON in chunks without a content-length, as a streaming client would. */
function postChunked(url: string, size: number): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}/castles`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
    });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }),
      );
    });
    req.on('error', reject);
    const chunk = 'x'.repeat(64 * 1024);
    req.write('{"name":"');
    let sent = 0;
    const pump = () => {
      while (sent < size) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end('"}');
    };
    pump();
  });
}

describe('entente mock request-size limit', () => {
  it('answers a body over the default limit 413 problem+json and records nothing of it', {
    timeout: 60_000,
  }, async () => {
    await withMock([], async (url) => {
      const big = JSON.stringify({ name: 'x'.repeat(DEFAULT_MAX_REQUEST_BYTES) });
      const refused = await fetch(`${url}/castles`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: big,
      });
      expect(refused.status).toBe(413);
      expect(refused.headers.get('content-type')).toBe('application/problem+json');
      expect(await refused.json()).toMatchObject({
        type: 'https://entente.dev/problems/request-too-large',
        status: 413,
        detail: expect.stringContaining(`larger than ${DEFAULT_MAX_REQUEST_BYTES} bytes`),
      });
      expect(pendingFiles()).toEqual([]);

      const ok = await fetch(`${url}/castles`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Chambord' }),
      });
      expect(ok.status).toBe(201);
      expect(pendingFiles()).toHaveLength(1);
    });
  });

  it('stops reading a streamed body once it passes --max-request-bytes', { timeout: 60_000 }, async () => {
    const before = pendingFiles().length;
    await withMock(['--max-request-bytes', '100000'], async (url) => {
      const refused = await postChunked(url, 20 * 1024 * 1024);
      expect(refused.status).toBe(413);
      expect(refused.type).toBe('application/problem+json');
      expect(JSON.parse(refused.body)).toMatchObject({
        detail: expect.stringContaining('larger than 100000 bytes'),
      });
    });
    expect(pendingFiles()).toHaveLength(before);
  });
});

describe('entente mock and deeply nested JSON', () => {
  it('answers a body nested 5,000 levels deep 400 problem+json, records nothing, and goes on serving', {
    timeout: 60_000,
  }, async () => {
    const before = pendingFiles().length;
    await withMock([], async (url) => {
      const post = (body: string, headers: Record<string, string> = {}) =>
        fetch(`${url}/castles`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body,
        });
      const deep = `{"name":"x","tags":${'['.repeat(5000)}${']'.repeat(5000)}}`;
      const refused = await post(deep);
      expect(refused.status).toBe(400);
      expect(refused.headers.get('content-type')).toBe('application/problem+json');
      expect(await refused.json()).toMatchObject({
        type: 'https://entente.dev/problems/request-too-deep',
        detail: 'the request body nests JSON deeper than 128 levels, the most this mock reads',
      });
      const state = `{"state":"s","params":{"p":${'['.repeat(3000)}${']'.repeat(3000)}}}`;
      const refusedState = await post(JSON.stringify({ name: 'Blois' }), { 'x-entente-state': state });
      expect(refusedState.status).toBe(400);
      expect(((await refusedState.json()) as { detail: string }).detail).toContain(
        'the x-entente-state header nests JSON deeper',
      );
      expect(pendingFiles()).toHaveLength(before);
      // A hostile request once made every later one fail with a stack overflow.
      const ok = await post(JSON.stringify({ name: 'Azay-le-Rideau' }));
      expect(ok.status).toBe(201);
    });
    expect(pendingFiles()).toHaveLength(before + 1);
  });
});

describe('mock exchange history', () => {
  it('keeps only the latest maxInteractions exchanges', async () => {
    const handler = createMockHandler({
      document: (await parseJsonOrYaml(SPEC, 'openapi.yaml')) as OpenApiDocument,
      maxInteractions: 3,
    });
    for (let i = 0; i < 10; i++) {
      const response = await handler.handle(
        new Request('http://mock/castles', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: `castle-${i}` }),
        }),
      );
      expect(response.status).toBe(201);
    }
    expect(handler.interactions.map((interaction) => interaction.request.body)).toEqual([
      { name: 'castle-7' },
      { name: 'castle-8' },
      { name: 'castle-9' },
    ]);
  });

  it('answers an over-limit in-process request 413 without keeping it', async () => {
    const handler = createMockHandler({
      document: (await parseJsonOrYaml(SPEC, 'openapi.yaml')) as OpenApiDocument,
      maxRequestBytes: 10,
    });
    const response = await handler.handle(
      new Request('http://mock/castles', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'a long castle name' }),
      }),
    );
    expect(response.status).toBe(413);
    expect(handler.interactions).toEqual([]);
  });
});
