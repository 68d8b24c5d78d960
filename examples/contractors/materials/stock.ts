/**
 * Team Materials: totals active stock. Version 1 of the client reads `stock`
 * as a decimal string; version 2 reads it as an integer (MATERIALS_STOCK_AS=integer).
 */
export async function totalStock(baseUrl: string, stockAs: 'string' | 'integer'): Promise<number> {
  const response = await fetch(`${baseUrl}/contractor`, { headers: { accept: 'application/json' } });
  const contractors = (await response.json()) as { stock: unknown }[];
  return contractors.reduce((total, c) => {
    if (stockAs === 'string' && typeof c.stock !== 'string') throw new Error('stock is not a string');
    if (stockAs === 'integer' && !Number.isInteger(c.stock)) throw new Error('stock is not an integer');
    return total + Number(c.stock);
  }, 0);
}
