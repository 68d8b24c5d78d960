import { describe, expect, it } from 'vitest';
import type { ContractRecord, Interaction } from '../../model/records.js';
import type { OpenApiDocument } from '../document.js';
import type { ConsumerContract } from './consumer-impact.js';
import { consumerImpact, isBreaking } from './consumer-impact.js';
import { diffSpecs } from './diff-specs.js';
import { finding } from './findings.js';

const id = (n: number) => String(n).padStart(64, '0');

interface SpecOptions {
  stock?: string;
  status?: string;
  limitRequired?: boolean;
  withDelete?: boolean;
  rateHeader?: boolean;
}

function spec(options: SpecOptions = {}): OpenApiDocument {
  const {
    stock = 'string',
    status = '200',
    limitRequired = false,
    withDelete = true,
    rateHeader = true,
  } = options;
  return {
    openapi: '3.1.0',
    servers: [{ url: 'https://contractors.example/v1' }],
    paths: {
      '/contractor': {
        get: {
          operationId: 'getContractor',
          parameters: [{ name: 'limit', in: 'query', required: limitRequired, schema: { type: 'integer' } }],
          responses: {
            [status]: {
              description: 'the contractor',
              ...(rateHeader
                ? { headers: { 'X-Rate': { required: true, schema: { type: 'integer' } } } }
                : {}),
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    required: ['available', 'stock'],
                    properties: { available: { type: 'boolean' }, stock: { type: stock } },
                  },
                },
              },
            },
          },
        },
        ...(withDelete
          ? { delete: { operationId: 'retire', responses: { '204': { description: 'gone' } } } }
          : {}),
      },
    },
  };
}

function interaction(n: number, fields: Partial<Interaction> & { reliesOn?: string[] }): Interaction {
  const { reliesOn, ...rest } = fields;
  return {
    id: id(n),
    operation: 'getContractor',
    request: { method: 'GET', path: '/v1/contractor' },
    response: {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: { available: true, stock: '12' },
      ...(reliesOn ? { reliesOn } : {}),
    },
    ...rest,
  };
}

function consumer(name: string, interactions: Interaction[]): ConsumerContract {
  const contract: ContractRecord = { consumer: name, provider: 'contractors', interactions };
  return {
    consumer: name,
    hash: id(name.length),
    versions: [{ version: '1.0.0', why: ['latest on main'] }],
    contract,
  };
}

const materials = consumer('materials', [interaction(1, { reliesOn: ['stock'] })]);
const oddJobs = consumer('odd-jobs', [interaction(2, { reliesOn: ['available'] })]);

function impactOf(revision: SpecOptions, contracts: ConsumerContract[] = [materials, oddJobs]) {
  const base = spec();
  const next = spec(revision);
  const findings = diffSpecs(base, next);
  const impact = consumerImpact('contractors', findings, contracts, base, next);
  return {
    findings,
    impact,
    byRule: Object.fromEntries(
      impact.breaking.map((entry) => [entry.rule, entry.broken.map((broken) => broken.consumer)]),
    ),
  };
}

describe('consumerImpact', () => {
  it('the reference scenario: stock string → integer breaks materials, leaves odd-jobs alone', () => {
    const { impact } = impactOf({ stock: 'integer' });
    expect(impact.breaking).toEqual([
      {
        finding: 0,
        rule: 'response.body.type-changed',
        broken: [
          {
            consumer: 'materials',
            hash: materials.hash,
            versions: materials.versions,
            interactions: [{ interactionId: id(1), operation: 'getContractor', reliedOn: ['stock'] }],
          },
        ],
        untouched: ['odd-jobs'],
      },
    ]);
    expect(impact.hurt).toEqual(['materials']);
    expect(impact.untouched).toEqual(['odd-jobs']);
    expect(impact.staticCheck).toMatchObject([
      { consumer: 'materials', compatible: false, newlyIncompatible: true, findings: [{ path: 'stock' }] },
      { consumer: 'odd-jobs', compatible: true, newlyIncompatible: false, findings: [] },
    ]);
  });

  it('a removed status or header breaks the interactions that received it', () => {
    const created = consumer('creator', [
      interaction(3, { response: { status: 201, body: {}, headers: {} }, reliesOn: [] }),
    ]);
    expect(impactOf({ status: '201' }, [materials, created]).byRule['response.status.removed']).toEqual([
      'materials',
    ]);
    const rate = consumer('rate-watcher', [
      interaction(4, {
        response: { status: 200, headers: { 'x-rate': '5', 'content-type': 'application/json' }, body: {} },
      }),
    ]);
    expect(impactOf({ rateHeader: false }, [materials, rate]).byRule['response.header.removed']).toEqual([
      'rate-watcher',
    ]);
  });

  it('a newly required parameter breaks those not sending it; a removed operation every interaction of it', () => {
    const paging = consumer('pager', [
      interaction(5, { request: { method: 'GET', path: '/v1/contractor', query: { limit: '5' } } }),
    ]);
    const { byRule } = impactOf({ limitRequired: true }, [materials, paging]);
    expect(byRule['request.parameter.became-required']).toEqual(['materials']);

    const retirer = consumer('retirer', [
      interaction(6, {
        operation: 'DELETE /contractor',
        request: { method: 'DELETE', path: '/contractor' },
        response: { status: 204 },
      }),
    ]);
    const removed = impactOf({ withDelete: false }, [materials, retirer]);
    expect(removed.byRule['operation.removed']).toEqual(['retirer']);
    expect(removed.impact.hurt).toEqual(['retirer']);
  });

  it('counts errors and response-body warnings as breaking, and a scheme change against every interaction', () => {
    const warning = finding('response.body.optional-property-removed', {
      operation: { method: 'GET', path: '/contractor', operationId: 'getContractor' },
      location: '/x',
      target: { kind: 'response-body', status: '200', contentType: 'application/json', path: 'stock' },
      message: 'gone',
    });
    const scheme = finding('security.scheme-removed', {
      location: '/components/securitySchemes/token',
      target: { kind: 'security-scheme', name: 'token' },
      message: 'security scheme `token` removed',
    });
    const renamed = finding('operation.id-changed', {
      operation: { method: 'GET', path: '/contractor', operationId: 'fetchContractor' },
      location: '/y',
      message: 'renamed',
    });
    expect([warning, scheme, renamed].map(isBreaking)).toEqual([true, true, false]);
    const impact = consumerImpact(
      'contractors',
      [renamed, warning, scheme],
      [materials, oddJobs],
      spec(),
      spec(),
    );
    expect(impact.breaking.map((entry) => [entry.finding, entry.broken.map((b) => b.consumer)])).toEqual([
      [1, ['materials']],
      [2, ['materials', 'odd-jobs']],
    ]);
  });
});
