import { createMock } from 'entente';
import { expect, it } from 'vitest';
import { totalStock } from './stock.js';

const stockAs = process.env.MATERIALS_STOCK_AS === 'integer' ? 'integer' : 'string';

it(`totals active stock (reading stock as ${stockAs === 'string' ? 'a string' : 'an integer'})`, async () => {
  const mock = await createMock('contractors', 'latest', {
    cwd: import.meta.dirname,
    // What Materials relies on: stock, and nothing else.
    reliesOn: { listContractors: ['[].stock'] },
  });
  try {
    expect(await totalStock(mock.url, stockAs)).toBe(42);
  } finally {
    await mock.close();
  }
});
