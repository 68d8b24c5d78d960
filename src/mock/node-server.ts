/**
 * A node:http server around a mock handler, for consumers in any language
 * (and for tests that want a real port).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DEFAULT_MAX_REQUEST_BYTES,
  type MockHandler,
  type MockReply,
  mockReplier,
  requestTooLarge,
} from './handler.js';

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
  /**
   * Larger request bodies are answered 413 without being buffered (the rest
   * is discarded as it arrives). Default {@link DEFAULT_MAX_REQUEST_BYTES}.
   */
  maxRequestBytes?: number;
}

export async function startMockServer(
  handler: MockHandler,
  options: MockServerOptions = {},
): Promise<MockServer> {
  const host = options.host ?? '127.0.0.1';
  const maxRequestBytes = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
  const server = createServer((req, res) => {
    serve(handler, req, res, origin, maxRequestBytes).catch((error: unknown) => {
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

async function serve(
  handler: MockHandler,
  req: IncomingMessage,
  res: ServerResponse,
  origin: string,
  maxRequestBytes: number,
) {
  const method = req.method ?? 'GET';
  const url = new URL(req.url ?? '/', origin);
  const bytes = await readBody(req, maxRequestBytes);
  if (bytes === undefined) {
    send(res, requestTooLarge(maxRequestBytes));
    return;
  }
  const hasBody = method !== 'GET' && method !== 'HEAD' && bytes.length > 0;
  const replier = mockReplier(handler);
  if (replier) {
    // A handler of ours: plain data in and out, no Fetch Request/Response (and their streams) per exchange.
    const reply = await replier({
      method,
      url,
      headers: headerRecord(req.rawHeaders),
      text: async () => (hasBody ? utf8.decode(bytes) : ''),
    });
    send(res, reply);
    return;
  }
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2)
    headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  const request = new Request(url, {
    method,
    headers,
    ...(hasBody ? { body: bytes } : {}),
  });
  const response = await handler.handle(request);
  const outgoing: [string, string][] = [];
  response.headers.forEach((value, key) => {
    outgoing.push([key, value]);
  });
  res.writeHead(response.status, outgoing.flat());
  res.end(Buffer.from(await response.arrayBuffer()));
}

/** Decodes as `Request.text()` does (UTF-8, a leading BOM dropped). */
const utf8 = new TextDecoder();

/** The body, or undefined (and the rest discarded unread) once it is larger than `max` bytes. */
function readBody(req: IncomingMessage, max: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const tooLarge = () => {
      req.removeAllListeners('data');
      req.resume();
      resolve(undefined);
    };
    if (Number(req.headers['content-length']) > max) {
      tooLarge();
      return;
    }
    const chunks: Buffer[] = [];
    let length = 0;
    req.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length > max) {
        chunks.length = 0;
        tooLarge();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Request headers as a Fetch `Headers` would list them: lowercased names, repeated ones joined. */
function headerRecord(raw: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    const value = raw[i + 1]!.trim();
    out[name] = name in out ? `${out[name]}, ${value}` : value;
  }
  return out;
}

/** Statuses a Fetch `Response` refuses a body for. */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/** Writes `reply` as `handle` would have answered it: the same status, headers and bytes. */
function send(res: ServerResponse, reply: MockReply): void {
  if (reply.body !== null && NULL_BODY_STATUSES.has(reply.status)) {
    throw new TypeError(`Response constructor: Invalid response status code ${reply.status}`);
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(reply.headers)) headers[name.toLowerCase()] = value.trim();
  if (reply.body !== null) {
    headers['content-type'] ??= 'text/plain;charset=UTF-8';
    headers['content-length'] = String(Buffer.byteLength(reply.body));
  }
  res.writeHead(reply.status, headers);
  res.end(reply.body ?? undefined);
}
