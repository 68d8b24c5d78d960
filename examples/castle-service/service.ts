/**
 * castle-service: entente's example provider. A real node:http server with an
 * in-memory store implementing openapi.yaml (listCastles, createCastle,
 * getCastle, deleteCastle). It can also serve a provider-state endpoint, the
 * way a provider written in any language supports `entente verify --state-url`.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Castle {
  id: string;
  name: string;
  region: string;
  yearBuilt: number;
  description?: string | null;
}

export type NewCastle = Omit<Castle, 'id'>;

/** The service's data. Nothing is persisted. */
export class CastleStore {
  private readonly castles = new Map<string, Castle>();

  list(region?: string): Castle[] {
    return [...this.castles.values()].filter((c) => region === undefined || c.region === region);
  }

  get(id: string): Castle | undefined {
    return this.castles.get(id);
  }

  create(castle: NewCastle): Castle {
    return this.put({ id: randomUUID(), ...castle });
  }

  put(castle: Castle): Castle {
    this.castles.set(castle.id, castle);
    return castle;
  }

  delete(id: string): boolean {
    return this.castles.delete(id);
  }

  clear(): void {
    this.castles.clear();
  }
}

/** A response on its way out: the operation that produced it, its status and JSON body. */
export interface OutgoingResponse {
  operation: string;
  status: number;
  body?: unknown;
}

/** A provider state set up or torn down through the state endpoint. */
export interface StateRequest {
  consumer?: string;
  state: string | null;
  params?: Record<string, unknown>;
  operation?: string;
  action: 'setup' | 'teardown';
}

export interface CastleServiceOptions {
  store?: CastleStore;
  /** Serve `POST <path>` for provider states (entente verify --state-url). */
  stateEndpoint?: string;
  /**
   * Changes each response before it is sent. Real services have no use for
   * it; tests use it to simulate a regression (a renamed field, a wrong status).
   */
  present?: (response: OutgoingResponse) => OutgoingResponse;
}

export interface CastleService {
  url: string;
  store: CastleStore;
  server: Server;
  close(): Promise<void>;
}

/** The provider states castle-service knows, for its state endpoint. */
export function applyState(store: CastleStore, request: StateRequest): void {
  const id = typeof request.params?.id === 'string' ? request.params.id : undefined;
  switch (request.state) {
    case null:
      return;
    case 'castle 123 exists':
      if (!id) throw new Error('state "castle 123 exists" needs params.id');
      if (request.action === 'setup')
        store.put({ id, name: 'Château de Chambord', region: 'Centre-Val de Loire', yearBuilt: 1519 });
      else store.delete(id);
      return;
    case 'no castles exist':
      if (request.action === 'setup') store.clear();
      return;
    default:
      throw new Error(`unknown provider state ${JSON.stringify(request.state)}`);
  }
}

export function createCastleHandler(options: CastleServiceOptions & { store: CastleStore }) {
  const { store } = options;
  const present = options.present ?? ((response) => response);
  return async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://castle-service');
    const send = (outgoing: OutgoingResponse) => {
      const { status, body } = present(outgoing);
      if (body === undefined) {
        response.writeHead(status).end();
        return;
      }
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    const text = await readBody(request);

    if (options.stateEndpoint && url.pathname === options.stateEndpoint && request.method === 'POST') {
      try {
        applyState(store, JSON.parse(text) as StateRequest);
        response.writeHead(204).end();
      } catch (error) {
        response.writeHead(500, { 'content-type': 'text/plain' }).end((error as Error).message);
      }
      return;
    }

    const item = /^\/castles\/([^/]+)$/.exec(url.pathname);
    if (url.pathname === '/castles' && request.method === 'GET') {
      send({
        operation: 'listCastles',
        status: 200,
        body: store.list(url.searchParams.get('region') ?? undefined),
      });
    } else if (url.pathname === '/castles' && request.method === 'POST') {
      const problem = invalidCastle(text);
      if (typeof problem === 'string') {
        send({ operation: 'createCastle', status: 400, body: { error: 'invalid_castle', message: problem } });
      } else {
        send({ operation: 'createCastle', status: 201, body: store.create(problem) });
      }
    } else if (item && request.method === 'GET') {
      const castle = store.get(decodeURIComponent(item[1]!));
      send(
        castle
          ? { operation: 'getCastle', status: 200, body: castle }
          : { operation: 'getCastle', status: 404, body: notFound(item[1]!) },
      );
    } else if (item && request.method === 'DELETE') {
      const id = decodeURIComponent(item[1]!);
      send(
        store.delete(id)
          ? { operation: 'deleteCastle', status: 204 }
          : { operation: 'deleteCastle', status: 404, body: notFound(id) },
      );
    } else {
      send({
        operation: 'unknown',
        status: 404,
        body: { error: 'not_found', message: `${request.method} ${url.pathname}` },
      });
    }
  };
}

/** Starts castle-service on 127.0.0.1 (port 0: a free port). */
export async function startCastleService(
  options: CastleServiceOptions & { port?: number; host?: string } = {},
): Promise<CastleService> {
  const store = options.store ?? new CastleStore();
  const handle = createCastleHandler({ ...options, store });
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    store,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function notFound(id: string) {
  return { error: 'not_found', message: `no castle ${id}` };
}

/** The castle to create, or what is wrong with the body. */
function invalidCastle(text: string): NewCastle | string {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return 'the body is not JSON';
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'expected a castle object';
  const { name, region, yearBuilt, description } = body as Record<string, unknown>;
  if (typeof name !== 'string' || name === '') return 'name: expected a non-empty string';
  if (typeof region !== 'string' || region === '') return 'region: expected a non-empty string';
  if (!Number.isInteger(yearBuilt) || (yearBuilt as number) < 800 || (yearBuilt as number) > 2100)
    return 'yearBuilt: expected an integer from 800 to 2100';
  if (description !== undefined && description !== null && typeof description !== 'string')
    return 'description: expected a string or null';
  return {
    name,
    region,
    yearBuilt: yearBuilt as number,
    ...(description !== undefined ? { description: description as string | null } : {}),
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      text += chunk;
    });
    request.on('end', () => resolve(text));
    request.on('error', reject);
  });
}
