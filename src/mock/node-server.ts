/**
 * A node:http server around a mock handler, for consumers in any language
 * (and for tests that want a real port).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MockHandler } from './handler.js';

export interface MockServer {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export interface MockServerOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
}

export async function startMockServer(
  handler: MockHandler,
  options: MockServerOptions = {},
): Promise<MockServer> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer((req, res) => {
    serve(handler, req, res, origin).catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`entente mock: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const close = () =>
    new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    });
  return { url: origin, port, close, [Symbol.asyncDispose]: close };
}

async function serve(handler: MockHandler, req: IncomingMessage, res: ServerResponse, origin: string) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2)
    headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  const method = req.method ?? 'GET';
  const request = new Request(new URL(req.url ?? '/', origin), {
    method,
    headers,
    ...(method === 'GET' || method === 'HEAD' || chunks.length === 0 ? {} : { body: Buffer.concat(chunks) }),
  });
  const response = await handler.handle(request);
  const outgoing: [string, string][] = [];
  response.headers.forEach((value, key) => {
    outgoing.push([key, value]);
  });
  res.writeHead(response.status, outgoing.flat());
  res.end(Buffer.from(await response.arrayBuffer()));
}
