/**
 * Which objects a repository lacks, read from its files: loose objects and
 * the sorted object ids of version-2 pack indexes. A partial clone's
 * transaction asks this before its reads, so contents it already has cost no
 * git process at all (`git rev-list --missing=print` would be one per batch).
 * Anything it cannot read plainly (alternates, another index version) gives
 * undefined, and the caller asks git. And fetching what is missing: exactly
 * the objects named, in one request.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { GitRunner } from './git.js';
import { CACHE_FETCH, CACHE_REMOTE } from './location.js';

const IDX_MAGIC = Buffer.from([0xff, 0x74, 0x4f, 0x63]);

/** Pack indexes already read, by path: a pack's name is its checksum, so its index never changes. */
const packIndexes = new Map<string, Buffer>();

/**
 * Each repository's pack indexes as last listed (undefined: not plainly
 * readable). Packs come and go only with fetches and repacks: an object not
 * found in the list sends for a new listing before it is called missing.
 */
const listings = new Map<string, Buffer[] | undefined>();

export async function missingObjects(gitDir: string, oids: string[]): Promise<string[] | undefined> {
  const inPacks = (indexes: Buffer[], oid: string) => indexes.some((index) => inIndex(index, oid));
  const listed = listings.has(gitDir) ? listings.get(gitDir) : await listPackIndexes(gitDir);
  if (listed === undefined) return undefined;
  let missing = oids.filter((oid) => !inPacks(listed, oid));
  if (missing.length > 0) {
    const fresh = await listPackIndexes(gitDir);
    if (fresh === undefined) return undefined;
    missing = missing.filter((oid) => !inPacks(fresh, oid));
  }
  const objects = join(gitDir, 'objects');
  const loose = await Promise.all(
    missing.map((oid) =>
      stat(join(objects, oid.slice(0, 2), oid.slice(2))).then(
        () => true,
        () => false,
      ),
    ),
  );
  return missing.filter((_, index) => !loose[index]);
}

/** Forgets what was listed of a repository (its folder was replaced). */
export function forgetPackIndexes(gitDir: string): void {
  listings.delete(gitDir);
}

async function listPackIndexes(gitDir: string): Promise<Buffer[] | undefined> {
  const objects = join(gitDir, 'objects');
  const hasAlternates = await stat(join(objects, 'info', 'alternates')).then(
    () => true,
    () => false,
  );
  const indexes = hasAlternates ? undefined : await readPackIndexes(join(objects, 'pack'));
  listings.set(gitDir, indexes);
  return indexes;
}

/** The version-2 indexes of the packs in a folder (undefined: one of another version). */
async function readPackIndexes(folder: string): Promise<Buffer[] | undefined> {
  const indexes: Buffer[] = [];
  for (const name of await readdir(folder).catch(() => [])) {
    if (!name.endsWith('.idx')) continue;
    const path = join(folder, name);
    const index = packIndexes.get(path) ?? (await readFile(path).catch(() => undefined));
    if (!index) continue;
    if (index.length < 8 + 256 * 4 || !index.subarray(0, 4).equals(IDX_MAGIC) || index.readUInt32BE(4) !== 2)
      return undefined;
    packIndexes.set(path, index);
    indexes.push(index);
  }
  return indexes;
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

/**
 * Fetches exactly these objects from the cache's remote, in one request:
 * what git's own lazy fetch does (ask for them by name, claiming nothing),
 * with a filter for what comes along. git always sends an object asked for
 * by name; `blob:none` then adds every tree below a wanted tree (git's lazy
 * fetch of a root tree would bring the whole tree of the commit), while
 * `tree:0` sends the wanted objects alone.
 */
export async function fetchObjects(
  git: GitRunner,
  oids: string[],
  filter: 'blob:none' | 'tree:0',
): Promise<void> {
  await git.run(
    ['-c', 'fetch.negotiationAlgorithm=noop', ...CACHE_FETCH, `--filter=${filter}`, '--stdin', CACHE_REMOTE],
    { input: `${oids.join('\n')}\n` },
  );
}

const treeFetchers = new WeakMap<GitRunner, TreeFetcher>();

/**
 * Makes sure a partial clone holds these trees before git is asked for
 * them (asked for a missing object, git fetches it by itself, one process
 * per object). The ones the cache lacks are fetched in one request; trees
 * asked for in the same turn of the event loop (one level of several walks)
 * go out together, and a tree already on its way waits for that fetch.
 */
export function fetchMissingTrees(git: GitRunner, oids: string[]): Promise<void> {
  let fetcher = treeFetchers.get(git);
  if (!fetcher) {
    fetcher = new TreeFetcher(git);
    treeFetchers.set(git, fetcher);
  }
  return fetcher.ensure(oids);
}

class TreeFetcher {
  private readonly inFlight = new Map<string, Promise<void>>();
  private next: { oids: Set<string>; done: Promise<void> } | undefined;

  constructor(private readonly git: GitRunner) {}

  ensure(oids: string[]): Promise<void> {
    const wanted = [...new Set(oids)];
    for (const oid of wanted) {
      if (this.inFlight.has(oid)) continue;
      if (!this.next) {
        const batch = { oids: new Set<string>(), done: Promise.resolve() };
        batch.done = new Promise((resolve) => setImmediate(resolve)).then(() => {
          if (this.next === batch) this.next = undefined;
          return this.fetch([...batch.oids]);
        });
        this.next = batch;
      }
      this.next.oids.add(oid);
      this.inFlight.set(oid, this.next.done);
    }
    return Promise.all(wanted.map((oid) => this.inFlight.get(oid))).then(() => undefined);
  }

  private async fetch(oids: string[]): Promise<void> {
    try {
      // Pack indexes it cannot read plainly: fetching what is already there costs only the request.
      const missing = (await missingObjects(this.git.dir, oids)) ?? oids;
      if (missing.length > 0) await fetchObjects(this.git, missing, 'tree:0');
    } finally {
      for (const oid of oids) this.inFlight.delete(oid);
    }
  }
}
