/** Builds the synthetic contracts repository (a bare git repository at `repo`) in one fast-import stream. */
export function generate(
  repo: string,
  options?: { services?: number; versions?: number },
): Promise<{ commits: number; fileWrites: number; providers: unknown; consumersOf: unknown }>;
