import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { IoError } from '../errors.js';
import type { Interaction } from '../model/records.js';
import { REDACTED } from '../redact/redact.js';
import { replayRequest, sendReplay, wireRequest } from './replay.js';

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
    const request = replayRequest(interaction, 'http://127.0.0.1:4001/api');
    expect(request.url).toBe('http://127.0.0.1:4001/api/castles?region=Centre&tag=a&tag=b');
    expect(wireRequest(request)).toEqual({
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: '{"name":"Blois"}',
    });
  });

  it('replaces redacted secrets with supplied headers and drops the ones nothing replaced', () => {
    const request = replayRequest(interaction, 'http://127.0.0.1:4001', { Authorization: 'Bearer real' });
    expect(request.headers.authorization).toBe('Bearer real');
    expect(wireRequest(request).headers).toEqual({
      authorization: 'Bearer real',
      'content-type': 'application/json',
      accept: 'application/json',
    });
  });

  it('is an IoError when nothing listens at the base URL', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const request = replayRequest(interaction, `http://127.0.0.1:${port}`);
    await expect(sendReplay(request, 2000)).rejects.toBeInstanceOf(IoError);
    await expect(sendReplay(request, 2000)).rejects.toThrow(
      `could not reach the provider at http://127.0.0.1:${port}/castles`,
    );
  });

  it('gives up after the timeout with a message saying so', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as { port: number };
      const request = replayRequest(interaction, `http://127.0.0.1:${port}`);
      await expect(sendReplay(request, 150)).rejects.toThrow('no response within 150 ms');
    } finally {
      silent.close();
    }
  });
});
