/** The same requests, sent to any base URL, for comparing mocks byte by byte. */
export const CASTLE_ID = '550e8400-e29b-41d4-a716-446655440000';

const json = { 'content-type': 'application/json' };

export const REQUESTS: {
  path: string;
  init?: { method?: string; headers?: Record<string, string>; body?: string };
}[] = [
  { path: '/castles' },
  { path: '/castles?region=Centre' },
  { path: `/castles/${CASTLE_ID}` },
  { path: `/castles/${CASTLE_ID}`, init: { headers: { prefer: 'code=404' } } },
  { path: `/castles/${CASTLE_ID}`, init: { method: 'DELETE' } },
  { path: `/castles/${CASTLE_ID}`, init: { method: 'PUT' } },
  { path: '/dragons' },
  {
    path: '/castles',
    init: {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ name: 'Chambord', region: 'Centre', yearBuilt: 1519 }),
    },
  },
  { path: '/castles', init: { method: 'POST', headers: json, body: JSON.stringify({ name: 3 }) } },
];

export interface Exchange {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Status, the headers the mock decides (not date/connection) and the exact body text; print-exchanges.mjs does the same. */
export async function exchangeAll(baseUrl: string): Promise<Exchange[]> {
  const out: Exchange[] = [];
  for (const { path, init } of REQUESTS) {
    const response = await fetch(`${baseUrl}${path}`, init);
    const headers: Record<string, string> = {};
    for (const name of ['content-type', 'allow', 'x-entente-problems']) {
      const value = response.headers.get(name);
      if (value !== null) headers[name] = value;
    }
    out.push({ status: response.status, headers, body: await response.text() });
  }
  return out;
}
