import { describe, expect, it } from 'vitest';
import type { ContractRecord, VerificationRecord, VersionRecord } from '../model/records.js';
import type { OpenApiDocument } from '../openapi/document.js';
import { decideCanIDeploy } from './gate.js';
import {
  type CandidateFacts,
  type CompatibilityPolicy,
  type Evidence,
  pairsToCheck,
  specKey,
  verdictExitCode,
  verificationKey,
} from './verdict.js';

const AT = '2026-01-01T00:00:00.000Z';
const H = (c: string) => c.repeat(64);

const spec = (stockType: string): OpenApiDocument => ({
  openapi: '3.0.3',
  info: { title: 't', version: '1' },
  paths: {
    '/contractor': {
      get: {
        operationId: 'getContractor',
        responses: {
          '200': {
            description: 'ok',
            content: {
              'application/json': {
                schema: { type: 'object', properties: { stock: { type: stockType } } },
              },
            },
          },
        },
      },
    },
  },
});

const contract: ContractRecord = {
  consumer: 'materials',
  provider: 'contractors',
  interactions: [
    {
      id: H('1'),
      operation: 'getContractor',
      request: { method: 'GET', path: '/contractor' },
      response: { status: 200, body: { stock: '12' }, reliesOn: ['stock'] },
    },
  ],
};

const materials: VersionRecord = {
  service: 'materials',
  version: '1.0.0',
  createdAt: AT,
  contracts: { contractors: { hash: H('a'), publishedAt: AT } },
};

function facts(policy: CompatibilityPolicy, deployed = ['1.0.0']): CandidateFacts {
  return {
    service: 'materials',
    version: '1.0.0',
    environment: 'production',
    policy,
    ignore: [],
    record: materials,
    providerDeployments: new Map([
      [
        'contractors',
        {
          service: 'contractors',
          environment: 'production',
          deployed: deployed.map((version) => ({ version, deployedAt: AT })),
          history: [],
        },
      ],
    ]),
    deployedConsumers: [],
  };
}

function evidence(options: { verified?: boolean; stockType?: string }): Evidence {
  const verification: VerificationRecord | undefined =
    options.verified === undefined
      ? undefined
      : {
          provider: 'contractors',
          providerVersion: '1.0.0',
          contract: H('a'),
          consumer: 'materials',
          verifiedAt: AT,
          success: options.verified,
          interactions: [],
        };
  return {
    verifications: new Map(
      verification ? [[verificationKey('contractors', '1.0.0', H('a')), verification]] : [],
    ),
    contracts: new Map([[H('a'), contract]]),
    specs: new Map(options.stockType ? [[specKey('contractors', '1.0.0'), spec(options.stockType)]] : []),
  };
}

describe('decideCanIDeploy', () => {
  const cases: [CompatibilityPolicy, { verified?: boolean; stockType?: string }, string][] = [
    ['verified', { verified: true }, 'yes'],
    ['verified', { verified: false }, 'no'],
    ['verified', { stockType: 'string' }, 'unknown'],
    ['static', { stockType: 'string' }, 'yes'],
    ['static', { stockType: 'integer' }, 'no'],
    ['static', {}, 'unknown'],
    ['static', { verified: true }, 'unknown'],
    ['static', { verified: false, stockType: 'string' }, 'no'],
    ['verified-or-static', { verified: true, stockType: 'integer' }, 'yes'],
    ['verified-or-static', { verified: false, stockType: 'string' }, 'no'],
    ['verified-or-static', { stockType: 'string' }, 'yes'],
    ['verified-or-static', { stockType: 'integer' }, 'no'],
    ['verified-or-static', {}, 'unknown'],
  ];
  it.each(cases)('policy %s with %j: %s', (policy, given, expected) => {
    const result = decideCanIDeploy(facts(policy), evidence(given));
    expect(result.pairs).toHaveLength(1);
    expect(result.pairs[0]!.verdict).toBe(expected);
    expect(result.verdict).toBe(expected);
  });

  it('names the relied-on field a static no is about', () => {
    const result = decideCanIDeploy(facts('static'), evidence({ stockType: 'integer' }));
    expect(result.pairs[0]!.reason).toBe(
      `static check against contractors@1.0.0's spec: getContractor $.stock: received string ("12"), the spec says integer`,
    );
    expect(result.pairs[0]!.findings.map((f) => [f.code, f.path])).toEqual([
      ['response.body.incompatible', 'stock'],
    ]);
  });

  it('checks every deployed provider version, and says no when none is deployed', () => {
    expect(pairsToCheck(facts('static', ['1.0.0', '2.0.0'])).map((p) => p.providerVersion)).toEqual([
      '1.0.0',
      '2.0.0',
    ]);
    const none = decideCanIDeploy(facts('static', []), evidence({}));
    expect(none.pairs[0]).toMatchObject({
      verdict: 'no',
      reason: 'contractors is not deployed in production',
    });
    const ignored = decideCanIDeploy({ ...facts('static', []), ignore: ['contractors'] }, evidence({}));
    expect(ignored.verdict).toBe('yes');
    expect(ignored.pairs[0]!.ignored).toBe(true);
  });

  it('an unknown candidate version is unknown; exit codes tell the verdicts apart', () => {
    const { record: _, ...unknownVersion } = facts('static');
    const result = decideCanIDeploy({ ...unknownVersion, providerDeployments: new Map() }, evidence({}));
    expect(result).toMatchObject({ verdict: 'unknown', versionKnown: false, pairs: [] });
    expect([verdictExitCode('yes'), verdictExitCode('no'), verdictExitCode('unknown')]).toEqual([0, 1, 2]);
  });
});
