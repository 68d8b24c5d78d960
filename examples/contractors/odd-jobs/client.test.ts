import { createMock } from 'entente';
import { expect, it } from 'vitest';
import { availableContractorIds } from './client.js';

it('finds the available contractors', async () => {
  const mock = await createMock('contractors', 'latest', {
    cwd: import.meta.dirname,
    // What Odd Jobs relies on: the id and whether a contractor is available.
    reliesOn: { listContractors: ['[].id', '[].available'] },
  });
  try {
    expect(await availableContractorIds(mock.url)).toEqual(['c-17']);
  } finally {
    await mock.close();
  }
});
