import { createMock } from 'entente-contracts';
import { expect, it } from 'vitest';
import { availableContractorIds } from './client.js';

it('finds the available contractors', async () => {
  // Nothing declared: the contract relies on what the client reads (the id and
  // whether a contractor is available), seen by entente's read tracking.
  const mock = await createMock('contractors', 'latest', { cwd: import.meta.dirname });
  try {
    expect(await availableContractorIds(mock.url)).toEqual(['c-17']);
  } finally {
    await mock.close();
  }
});
