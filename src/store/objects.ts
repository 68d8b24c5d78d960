/**
 * Which objects a repository lacks, read from its files: loose objects and
 * the sorted object ids of version-2 pack indexes. A partial clone's
 * transaction asks this before its reads, so contents it already has cost no
 * git process at all (`git rev-list --missing=print` would be one per batch).
 * Anything it cannot read plainly (alternates, another index version) gives
 * undefined, and the caller asks git.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

const IDX_MAGIC = Buffer.from([0xff, 0x74, 0x4f, 0x63]);

export async function missingObjects(gitDir: string, oids: string[]): Promise<string[] | undefined> {
  const objects = join(gitDir, 'objects');
  const hasAlternates = await stat(join(objects, 'info', 'alternates')).then(
    () => true,
    () => false,
  );
  if (hasAlternates) return undefined;
  const indexes: Buffer[] = [];
  for (const name of await readdir(join(objects, 'pack')).catch(() => [])) {
    if (!name.endsWith('.idx')) continue;
    const index = await readFile(join(objects, 'pack', name)).catch(() => undefined);
    if (!index) continue;
    if (index.length < 8 + 256 * 4 || !index.subarray(0, 4).equals(IDX_MAGIC) || index.readUInt32BE(4) !== 2)
      return undefined;
    indexes.push(index);
  }
  const missing: string[] = [];
  for (const oid of oids) {
    if (indexes.some((index) => inIndex(index, oid))) continue;
    const loose = await stat(join(objects, oid.slice(0, 2), oid.slice(2))).then(
      () => true,
      () => false,
    );
    if (!loose) missing.push(oid);
  }
  return missing;
}

/** Binary search of a version-2 pack index's sorted object ids, within the range its fan-out gives. */
function inIndex(index: Buffer, oid: string): boolean {
  const wanted = Buffer.from(oid, 'hex');
  const size = wanted.length;
  const fanout = (byte: number) => (byte < 0 ? 0 : index.readUInt32BE(8 + byte * 4));
  const total = fanout(255);
  if (8 + 256 * 4 + total * size > index.length) return false;
  let low = fanout(wanted[0]! - 1);
  let high = fanout(wanted[0]!);
  while (low < high) {
    const middle = (low + high) >>> 1;
    const start = 8 + 256 * 4 + middle * size;
    const order = index.compare(wanted, 0, size, start, start + size);
    if (order === 0) return true;
    if (order < 0) low = middle + 1;
    else high = middle;
  }
  return false;
}
