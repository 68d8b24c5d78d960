/**
 * Static compatibility of imported pacts (the bi-directional way), side by
 * side with PactFlow's own comparator (@pactflow/openapi-pact-comparator) on
 * a set of pact/spec pairs. Where the verdicts differ, entente honours a
 * matching rule the comparator ignores; docs/compatibility.md explains each.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { checkContractStatically, isStaticallyCompatible } from '../../src/contract/static-check.js';
import type { OpenApiDocument } from '../../src/openapi/document.js';
import { loadSpec } from '../../src/openapi/load.js';
import { operationResolver, toEntenteInteraction } from '../../src/pact/import.js';
import { parsePact } from '../../src/pact/pact-file.js';
import { buildContract } from '../../src/record/publish.js';
import { CASTLE_123, SPEC_FILE } from '../verify/world.js';

let castleSpec: OpenApiDocument;

beforeAll(async () => {
  castleSpec = (await loadSpec(SPEC_FILE)).document;
});

type Rules = Record<string, unknown>;

function pact(response: { status?: number; body: unknown; rules?: Rules }, path = `/castles/${CASTLE_123}`) {
  return {
    consumer: { name: 'castle-client' },
    provider: { name: 'castle-service' },
    interactions: [
      {
        description: 'a castle',
        request: { method: 'GET', path },
        response: {
          status: response.status ?? 200,
          headers: { 'Content-Type': 'application/json' },
          body: response.body,
          ...(response.rules ? { matchingRules: { body: response.rules } } : {}),
        },
      },
    ],
    metadata: { pactSpecification: { version: '3.0.0' } },
  };
}

const rule = (...matchers: Record<string, unknown>[]) => ({ combine: 'AND', matchers });
const castle = { id: CASTLE_123, name: 'Chambord', region: 'Centre-Val de Loire', yearBuilt: 1519 };

/** The castle spec with Castle's schema changed. */
function withCastle(change: (castle: Record<string, Record<string, unknown>>) => void): OpenApiDocument {
  const spec = structuredClone(castleSpec);
  const schemas = (
    spec as unknown as {
      components: { schemas: { Castle: { properties: Record<string, Record<string, unknown>> } } };
    }
  ).components.schemas;
  change(schemas.Castle.properties);
  return spec;
}

interface Pair {
  name: string;
  pact: ReturnType<typeof pact>;
  spec: () => OpenApiDocument;
  entente: boolean;
  pactflow: boolean;
  /** Where the verdicts differ: the finding entente reports. */
  finding?: string;
}

const pairs: Pair[] = [
  {
    name: 'matching pact and spec',
    pact: pact({
      body: castle,
      rules: { '$.name': rule({ match: 'type' }), '$.yearBuilt': rule({ match: 'integer' }) },
    }),
    spec: () => castleSpec,
    entente: true,
    pactflow: true,
  },
  {
    name: 'unknown path',
    pact: pact({ body: castle }, '/dragons/1'),
    spec: () => castleSpec,
    entente: false,
    pactflow: false,
  },
  {
    name: 'undeclared status',
    pact: pact({ status: 418, body: castle }),
    spec: () => castleSpec,
    entente: false,
    pactflow: false,
  },
  {
    name: 'example of another type',
    pact: pact({ body: { ...castle, yearBuilt: '1519' }, rules: { '$.yearBuilt': rule({ match: 'type' }) } }),
    spec: () => castleSpec,
    entente: false,
    pactflow: false,
  },
  {
    name: 'a field the spec does not declare',
    pact: pact({ body: { ...castle, moat: true } }),
    spec: () => castleSpec,
    entente: false,
    pactflow: false,
  },
  {
    name: 'integer rule, the spec only promises a number',
    pact: pact({ body: castle, rules: { '$.yearBuilt': rule({ match: 'integer' }) } }),
    spec: () =>
      withCastle((p) => {
        p.yearBuilt = { type: 'number' };
      }),
    entente: false,
    pactflow: true,
    finding: 'error response.body.incompatible yearBuilt',
  },
  {
    name: 'regex rule, the spec enum allows a value it rejects',
    pact: pact({
      body: castle,
      rules: { '$.region': rule({ match: 'regex', regex: '[A-Z][a-z-]+(-[A-Z][a-z]+)*' }) },
    }),
    spec: () =>
      withCastle((p) => {
        p.region = { type: 'string', enum: ['Centre-Val de Loire', 'Île-de-France'] };
      }),
    entente: false,
    pactflow: true,
    finding: 'error response.body.enum region',
  },
  {
    name: 'null rule, the spec does not allow null',
    pact: pact({
      body: { ...castle, description: null },
      rules: { '$.description': rule({ match: 'null' }) },
    }),
    spec: () =>
      withCastle((p) => {
        p.description = { type: 'string' };
      }),
    entente: false,
    pactflow: false,
  },
];

async function pactflowVerdict(
  spec: OpenApiDocument,
  pactFile: unknown,
): Promise<{ ok: boolean; codes: string[] }> {
  // The package lists its types after the import condition, so TypeScript cannot see them: typed here.
  const { Comparator } = (await import('@pactflow/openapi-pact-comparator')) as unknown as {
    Comparator: new (
      openapi: unknown,
    ) => { compare(pact: unknown): AsyncIterable<{ type: string; code: string }> };
  };
  const comparator = new Comparator(structuredClone(spec));
  const codes: string[] = [];
  let ok = true;
  for await (const { type, code } of comparator.compare(pactFile)) {
    if (type === 'error') ok = false;
    codes.push(`${type} ${code}`);
  }
  return { ok, codes };
}

function ententeVerdict(spec: OpenApiDocument, pactFile: unknown): { ok: boolean; codes: string[] } {
  const parsed = parsePact(JSON.stringify(pactFile), 'pair.json');
  const resolve = operationResolver(spec);
  const contract = buildContract(
    'castle-client',
    'castle-service',
    parsed.interactions.map((i) => toEntenteInteraction(i, resolve(i.request.method, i.request.path))),
  );
  const findings = checkContractStatically(contract, spec);
  return {
    ok: isStaticallyCompatible(findings),
    codes: findings.map((f) => `${f.level} ${f.code} ${f.path ?? ''}`),
  };
}

describe('static check of imported pacts, side by side with PactFlow', () => {
  it.each(pairs)('$name', async (pair) => {
    const spec = pair.spec();
    const entente = ententeVerdict(spec, pair.pact);
    const pactflow = await pactflowVerdict(spec, pair.pact);
    expect({ entente: entente.ok, pactflow: pactflow.ok }, JSON.stringify({ entente, pactflow })).toEqual({
      entente: pair.entente,
      pactflow: pair.pactflow,
    });
    if (pair.finding) expect(entente.codes).toContain(pair.finding);
  });
});
