import { describe, expect, it } from 'vitest';
import type { ContractRecord } from '../model/records.js';
import { interactionsRelyingOn } from './impact.js';

const contract: ContractRecord = {
  consumer: 'materials',
  provider: 'contractors',
  interactions: [
    {
      id: '1'.repeat(64),
      operation: 'getContractor',
      request: { method: 'GET', path: '/contractor' },
      response: {
        status: 200,
        body: { available: true, stock: '12', owner: { name: 'x' } },
        reliesOn: ['stock', 'owner'],
      },
    },
    {
      id: '2'.repeat(64),
      operation: 'GET /items/{id}',
      request: { method: 'GET', path: '/api/items/7' },
      response: { status: 200, body: { items: [{ sku: 'a', qty: 1 }] } },
    },
  ],
};

const target = { method: 'get', pathTemplate: '/contractor', operationId: 'getContractor', status: 200 };

describe('interactionsRelyingOn', () => {
  it('finds the interactions relying on a path, a parent or a child of it', () => {
    expect(interactionsRelyingOn(contract, { ...target, bodyPath: 'stock' })).toEqual([
      { interactionId: '1'.repeat(64), operation: 'getContractor', reliedOn: ['stock'] },
    ]);
    expect(interactionsRelyingOn(contract, { ...target, bodyPath: 'owner' })).toMatchObject([
      { reliedOn: ['owner.name'] },
    ]);
    expect(interactionsRelyingOn(contract, { ...target, bodyPath: 'owner.name.first' })).toMatchObject([
      { reliedOn: ['owner.name'] },
    ]);
    expect(interactionsRelyingOn(contract, { ...target, bodyPath: '' })).toMatchObject([
      { reliedOn: ['stock', 'owner.name'] },
    ]);
  });

  it('leaves alone what is not relied on, other statuses and other operations', () => {
    expect(interactionsRelyingOn(contract, { ...target, bodyPath: 'available' })).toEqual([]);
    expect(interactionsRelyingOn(contract, { ...target, bodyPath: 'owner.email' })).toEqual([]);
    expect(interactionsRelyingOn(contract, { ...target, status: 404, bodyPath: 'stock' })).toEqual([]);
    expect(interactionsRelyingOn(contract, { ...target, status: '2XX', bodyPath: 'stock' })).toHaveLength(1);
    expect(
      interactionsRelyingOn(contract, { method: 'GET', pathTemplate: '/other', bodyPath: 'stock' }),
    ).toEqual([]);
  });

  it('matches recorded paths against the template, with the base path', () => {
    const items = { method: 'GET', pathTemplate: '/items/{itemId}', basePath: '/api' };
    expect(interactionsRelyingOn(contract, { ...items, bodyPath: 'items[].qty' })).toMatchObject([
      { interactionId: '2'.repeat(64), reliedOn: ['items[].qty'] },
    ]);
    expect(interactionsRelyingOn(contract, { ...items, basePath: '', bodyPath: 'items[].qty' })).toEqual([]);
  });
});
