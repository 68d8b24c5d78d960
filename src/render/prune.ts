/** The text rendering of `entente prune`: what went (or would go) and what stayed. */

import type { PruneResult } from '../prune/prune.js';
import { type Colors, table } from './table.js';

export function renderPrune(result: PruneResult, colors: Colors): string {
  const { kept } = result;
  const keptLine = `Kept: ${kept.deployed} deployed, ${kept.latestOnMainBranch} latest on a main branch, ${kept.recent} created since ${result.cutoff}.`;
  if (result.versions.length === 0)
    return `Nothing to prune: no version created before ${result.cutoff} is unused.\n${keptLine}`;
  const counts = new Map<string, number>();
  for (const file of result.files) counts.set(file.kind, (counts.get(file.kind) ?? 0) + 1);
  const verb = result.dryRun ? 'Would remove' : 'Removed';
  return [
    table(
      ['service', 'version', 'created'],
      result.versions.map((v) => [v.service, v.version, v.createdAt]),
      colors,
    ),
    '',
    `${result.dryRun ? '' : `${colors.green('✔')} `}${verb} ${result.versions.length} version${result.versions.length === 1 ? '' : 's'} and ${result.files.length} files (${[...counts].map(([kind, n]) => `${kind}: ${n}`).join(', ')}).`,
    keptLine,
    ...(result.dryRun ? ['Nothing was changed (--dry-run).'] : []),
  ].join('\n');
}
