import { readFileSync } from 'node:fs';
import type { FixtureRecord, OpenApiDocument } from '../../src/index.js';
import { parseYaml } from '../../src/util/yaml.js';

export const SPEC_FILE = new URL('../../examples/castle-service/openapi.yaml', import.meta.url);

export function loadCastles(): OpenApiDocument {
  return parseYaml(readFileSync(SPEC_FILE, 'utf8'), 'openapi.yaml') as OpenApiDocument;
}

export const CASTLE_ID = '550e8400-e29b-41d4-a716-446655440000';

export function castleFixture(
  id: string,
  source: FixtureRecord['source'],
  body: unknown,
  overrides: Partial<FixtureRecord> = {},
  path = `/castles/${CASTLE_ID}`,
): FixtureRecord {
  return {
    id,
    operation: 'getCastle',
    status: 'approved',
    priority: { manual: 3, provider: 2, consumer: 1 }[source],
    source,
    data: { request: { method: 'GET', path }, response: { status: 200, body } },
    ...overrides,
  };
}

export const castle = (name: string) => ({ id: CASTLE_ID, name, region: 'Centre', yearBuilt: 1519 });
