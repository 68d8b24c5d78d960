import { createMock } from 'entente-contracts';
import { expect, it } from 'vitest';
import { totalStock } from './stock.js';

const stockAs = process.env.MATERIALS_STOCK_AS === 'integer' ? 'integer' : 'string';

it(`totals active stock (reading stock as ${stockAs === 'string' ? 'a string' : 'an integer'})`, async () => {
  // Nothing declared: the contract relies on what totalStock reads (stock, and
  // nothing else), seen by entente's read tracking.
  const mock = await createMock('contractors', 'latest', { cwd: import.meta.dirname });
  try {
    expect(await totalStock(mock.url, stockAs)).toBe(42);
  } finally {
    await mock.close();
  }
});
