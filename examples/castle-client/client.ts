/**
 * castle-client: the example consumer. A small client for castle-service, as
 * a team would write it; its tests run against an entente mock.
 */
export interface Castle {
  id: string;
  name: string;
  region: string;
  yearBuilt: number;
  description?: string | null;
}

export interface NewCastle {
  name: string;
  region: string;
  yearBuilt: number;
  description?: string | null;
}

export class CastleClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token?: string,
  ) {}

  async listCastles(region?: string): Promise<Castle[]> {
    const query = region ? `?region=${encodeURIComponent(region)}` : '';
    return this.request<Castle[]>('GET', `/castles${query}`);
  }

  async getCastle(id: string): Promise<Castle | undefined> {
    const response = await this.send('GET', `/castles/${encodeURIComponent(id)}`);
    if (response.status === 404) return undefined;
    return this.parse<Castle>(response);
  }

  async createCastle(castle: NewCastle): Promise<Castle> {
    return this.request<Castle>('POST', '/castles', castle);
  }

  /** Ages of castles, oldest first: what this client actually uses of a castle is its name and yearBuilt. */
  async castleAges(now = 2026): Promise<{ name: string; age: number }[]> {
    const castles = await this.listCastles();
    return castles.map((c) => ({ name: c.name, age: now - c.yearBuilt })).sort((a, b) => b.age - a.age);
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    return this.parse<T>(await this.send(method, path, body));
  }

  private send(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    return fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  }

  private async parse<T>(response: Response): Promise<T> {
    if (!response.ok) throw new Error(`castle-service answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  }
}
