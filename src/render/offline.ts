import type { SnapshotSource } from '../store/store.js';

/** The line an offline answer ends with: which commit it comes from, and how old that copy is. */
export function describeOfflineSource(source: SnapshotSource, remote: string): string {
  const commit = source.commit ? `commit ${source.commit.slice(0, 12)}` : 'an empty repository';
  return `Offline: answered from the copy of ${remote} fetched at ${source.fetchedAt} (${describeAge(source.ageSeconds ?? 0)} ago), ${commit}; the remote was not contacted.`;
}

function describeAge(seconds: number): string {
  if (seconds < 120) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)} minutes`;
  if (seconds < 172_800) return `${Math.floor(seconds / 3600)} hours`;
  return `${Math.floor(seconds / 86_400)} days`;
}
