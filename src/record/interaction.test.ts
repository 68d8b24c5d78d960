import { describe, expect, it } from 'vitest';
import { type Exchange, toInteraction } from './interaction.js';

const exchange = (status: number, body: unknown, reliesOn?: string[]): Exchange => ({
  operation: 'getContractor',
  request: { method: 'get', path: '/contractor', headers: { host: 'x', accept: '*/*', 'x-trace': '1' } },
  response: { status, headers: { 'content-type': 'application/json', date: 'today' }, body },
  ...(reliesOn ? { reliesOn } : {}),
});

describe('toInteraction', () => {
  it('keeps what the contract needs, drops transport noise, and hashes the content', () => {
    const interaction = toInteraction(exchange(200, { available: true, stock: '12' }), {});
    expect(interaction).toMatchObject({
      operation: 'getContractor',
      request: { method: 'GET', path: '/contractor', headers: { 'x-trace': '1' } },
      response: { status: 200, headers: { 'content-type': 'application/json' } },
    });
    expect(interaction.response.reliesOn).toBeUndefined();
    expect(toInteraction(exchange(200, { stock: '12', available: true }), {}).id).toBe(interaction.id);
  });

  it('narrows reliesOn: the option for 2xx responses first, else the exchange’s own (a partial fixture)', () => {
    const body = { available: true, stock: '12' };
    expect(toInteraction(exchange(200, body, ['stock']), {}).response.reliesOn).toEqual(['stock']);
    const option = { reliesOn: { getContractor: ['available'] }, pins: { getContractor: ['available'] } };
    expect(toInteraction(exchange(200, body, ['stock']), option).response).toMatchObject({
      reliesOn: ['available'],
      pins: ['available'],
    });
    const notFound = toInteraction(exchange(404, { message: 'no' }), option).response;
    expect(notFound.reliesOn).toBeUndefined();
    expect(notFound.pins).toBeUndefined();
  });

  it('records how reliance was decided: header, option, partial fixture, tracked reads, else everything received', () => {
    const body = { available: true, stock: '12', owner: { name: 'n' } };
    const decide = (extra: Partial<Exchange>, options = {}) => {
      const { reliance, reliesOn } = toInteraction({ ...exchange(200, body), ...extra }, options).response;
      return [reliance, reliesOn];
    };
    const option = { reliesOn: { getContractor: ['available'] } };
    expect(
      decide({ reliesOnHeader: ['owner.name'], reliesOn: ['stock'], tracked: ['stock'] }, option),
    ).toEqual(['declared', ['owner.name']]);
    expect(decide({ reliesOn: ['stock'], tracked: ['stock'] }, option)).toEqual(['declared', ['available']]);
    expect(decide({ reliesOn: ['stock'], tracked: ['owner.name'] })).toEqual(['declared', ['stock']]);
    expect(decide({ tracked: ['owner.name'] })).toEqual(['tracked', ['owner.name']]);
    expect(decide({})).toEqual(['received', undefined]);
  });

  it('keeps the spec allowance of what is relied on only', () => {
    const allows = {
      absent: ['owner', 'owner.nick', 'stock'],
      types: {
        'owner.nick': ['null', 'string'] as ('null' | 'string')[],
        stock: ['null', 'string'] as ('null' | 'string')[],
      },
    };
    const body = { stock: '12', owner: { nick: 'n' } };
    const received = toInteraction({ ...exchange(200, body), allows }, {}).response;
    expect(received.allows).toEqual(allows);
    const tracked = toInteraction({ ...exchange(200, body), allows, tracked: ['owner.nick'] }, {}).response;
    expect(tracked.allows).toEqual({
      absent: ['owner', 'owner.nick'],
      types: { 'owner.nick': ['null', 'string'] },
    });
    const nothing = toInteraction({ ...exchange(200, body), allows, tracked: [] }, {}).response;
    expect(nothing.allows).toBeUndefined();
  });

  it('refuses a relied-on path that names nothing received, naming the exchange', () => {
    expect(() =>
      toInteraction(exchange(200, { stock: '12' }), { reliesOn: { getContractor: ['stok'] } }),
    ).toThrow(/"stok" in getContractor \(GET \/contractor → 200\) names nothing/);
  });
});
