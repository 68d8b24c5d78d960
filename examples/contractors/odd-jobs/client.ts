/** Team Odd Jobs: assigns available contractors to jobs. Reads `available` (and the id), nothing else. */
export async function availableContractorIds(baseUrl: string): Promise<string[]> {
  const response = await fetch(`${baseUrl}/contractor`, { headers: { accept: 'application/json' } });
  const contractors = (await response.json()) as { id: string; available: boolean }[];
  return contractors.filter((c) => c.available).map((c) => c.id);
}
