import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { IoError } from '../errors.js';
import type { Interaction } from '../model/records.js';
import { REDACTED } from '../redact/redact.js';
import {
  DEFAULT_MAX_RESPONSE_BYTES,
  ResponseTooLargeError,
  redactedValues,
  replayRequest,
  sendReplay,
  wireRequest,
} from './replay.js';

const interaction: Interaction = {
  id: 'a'.repeat(64),
  operation: 'createCastle',
  request: {
    method: 'POST',
    path: '/castles',
    query: { region: 'Centre', tag: ['a', 'b'] },
    headers: {
      authorization: REDACTED,
      'x-api-key': REDACTED,
      'content-type': 'application/json',
      accept: 'application/json',
    },
    body: { name: 'Blois' },
  },
  response: { status: 201 },
};

describe('replaying a recorded request', () => {
  it('sends the recorded request under the base URL, its query and body', () => {
    const request = replayRequest(interaction, 'http://127.0.0.1:4001/api', {
      headers: { authorization: 'Bearer real', 'x-api-key': 'k-1' },
    });
    expect(request.url).toBe('http://127.0.0.1:4001/api/castles?region=Centre&tag=a&tag=b');
    expect(wireRequest(request)).toEqual({
      method: 'POST',
      headers: {
        authorization: 'Bearer real',
        'x-api-key': 'k-1',
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: '{"name":"Blois"}',
    });
  });

  it('puts supplied secrets in place of redacted headers, query parameters and body fields', () => {
    const secret: Interaction = {
      ...interaction,
      request: {
        ...interaction.request,
        query: { key: REDACTED, region: 'Centre' },
        body: { login: { user: 'ada', password: REDACTED }, tokens: [REDACTED] },
      },
    };
    const request = replayRequest(secret, 'http://127.0.0.1:4001', {
      headers: { Authorization: 'Bearer real', 'X-Api-Key': 'k-1' },
      query: { KEY: 'q-1' },
      fields: { password: 'hunter2', tokens: 't-1' },
    });
    expect(request.url).toBe('http://127.0.0.1:4001/castles?key=q-1&region=Centre');
    expect(request.body).toEqual({ login: { user: 'ada', password: 'hunter2' }, tokens: ['t-1'] });
    expect(redactedValues(request)).toEqual([]);
    expect(wireRequest(request).headers).toEqual({
      authorization: 'Bearer real',
      'x-api-key': 'k-1',
      'content-type': 'application/json',
      accept: 'application/json',
    });
  });

  it('names every redacted value nothing supplied, and how to supply it', () => {
    const request = replayRequest(
      {
        ...interaction,
        request: { ...interaction.request, query: { sig: REDACTED }, body: { password: REDACTED, n: 1 } },
      },
      'http://127.0.0.1:4001',
      { headers: { authorization: 'Bearer real' } },
    );
    expect(redactedValues(request)).toEqual([
      "header x-api-key (--header 'x-api-key: …')",
      "query parameter sig (--query 'sig=…')",
      "body field $.password (--field 'password=…')",
    ]);
  });

  it('finds a credential redacted from the path', () => {
    const request = replayRequest(
      { ...interaction, request: { method: 'GET', path: `/invites/${REDACTED}` } },
      'http://127.0.0.1:4001',
    );
    expect(redactedValues(request)).toEqual(['a path segment (a request filter can put it back)']);
  });

  it('supplies and finds form-urlencoded and multipart fields', () => {
    const form = (body: string, contentType: string) =>
      replayRequest(
        {
          ...interaction,
          request: { method: 'POST', path: '/login', headers: { 'content-type': contentType }, body },
        },
        'http://127.0.0.1:4001',
        { fields: { password: 'p w' } },
      );
    const urlencoded = form(
      `user=ada&password=${REDACTED}&client_secret=${REDACTED}`,
      'application/x-www-form-urlencoded',
    );
    expect(urlencoded.body).toBe(`user=ada&password=p%20w&client_secret=${REDACTED}`);
    expect(redactedValues(urlencoded)).toEqual(["body field client_secret (--field 'client_secret=…')"]);
    const multipart = form(
      `--b\r\nContent-Disposition: form-data; name="password"\r\n\r\n${REDACTED}\r\n--b--\r\n`,
      'multipart/form-data; boundary=b',
    );
    expect(multipart.body).toContain('\r\n\r\np w\r\n--b--');
    expect(redactedValues(multipart)).toEqual([]);
  });

  it('is an IoError when nothing listens at the base URL', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const request = replayRequest(interaction, `http://127.0.0.1:${port}`);
    await expect(
      sendReplay(request, { timeoutMs: 2000, maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES }),
    ).rejects.toBeInstanceOf(IoError);
    await expect(
      sendReplay(request, { timeoutMs: 2000, maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES }),
    ).rejects.toThrow(`could not reach the provider at http://127.0.0.1:${port}/castles`);
  });

  it('gives up after the timeout with a message saying so', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as { port: number };
      const request = replayRequest(interaction, `http://127.0.0.1:${port}`);
      await expect(
        sendReplay(request, { timeoutMs: 150, maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES }),
      ).rejects.toThrow('no response within 150 ms');
    } finally {
      silent.close();
    }
  });

  it('refuses a body whose Content-Length is over the limit without reading it', async () => {
    const big = createHttpServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '2000' });
      response.end('x'.repeat(2000));
    });
    await new Promise<void>((resolve) => big.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = big.address() as { port: number };
      const request = replayRequest(interaction, `http://127.0.0.1:${port}`);
      const limits = { timeoutMs: 5000, maxResponseBytes: 1999 };
      await expect(sendReplay(request, limits)).rejects.toBeInstanceOf(ResponseTooLargeError);
      await expect(sendReplay(request, { ...limits, maxResponseBytes: 2000 })).resolves.toMatchObject({
        status: 200,
        body: 'x'.repeat(2000),
      });
    } finally {
      big.close();
    }
  });

  it('reads a body within the limit as Response.text() would (a UTF-8 byte order mark dropped)', async () => {
    const bom = createHttpServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"name":"Château"}')]));
    });
    await new Promise<void>((resolve) => bom.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = bom.address() as { port: number };
      const request = replayRequest(interaction, `http://127.0.0.1:${port}`);
      await expect(sendReplay(request, { timeoutMs: 5000, maxResponseBytes: 100 })).resolves.toMatchObject({
        body: { name: 'Château' },
      });
    } finally {
      bom.close();
    }
  });

  it('abandons a chunked body at the first byte past the limit', async () => {
    const chunked = createHttpServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.write('a'.repeat(600));
      response.end('b'.repeat(600));
    });
    await new Promise<void>((resolve) => chunked.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = chunked.address() as { port: number };
      const request = replayRequest(interaction, `http://127.0.0.1:${port}`);
      await expect(sendReplay(request, { timeoutMs: 5000, maxResponseBytes: 1000 })).rejects.toThrow(
        'the response body is larger than 1000 bytes',
      );
    } finally {
      chunked.close();
    }
  });
});
