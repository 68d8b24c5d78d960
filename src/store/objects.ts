/**
 * Objects read from a repository's files, without a git process: which
 * objects it lacks (loose objects and the sorted object ids of version-2
 * pack indexes), and the content of an object (a loose object, or a packed
 * one with its chain of deltas). A partial clone's reads and transactions
 * ask the first before asking git, so contents it already has cost no git
 * process at all (`git rev-list --missing=print` would be one per batch); a
 * transaction's folder listings read tree objects through the second,
 * because its `git fast-import` answers which tree a folder is but cannot
 * print one. Anything it cannot read plainly (alternates, another index
 * version, an object whose content does not hash to its id) gives
 * undefined, and the caller asks git. And fetching what is missing: exactly
 * the objects named, in one request.
 */
import { createHash } from 'node:crypto';
import { type FileHandle, open, readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { inflateSync } from 'node:zlib';
import type { GitRunner } from './git.js';
import { CACHE_FETCH, CACHE_REMOTE } from './location.js';

const IDX_MAGIC = Buffer.from([0xff, 0x74, 0x4f, 0x63]);
const OBJECT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

interface PackIndex {
  /** The `.pack` file the index describes. */
  pack: string;
  index: Buffer;
}

/** Pack indexes already read, by path: a pack's name is its checksum, so its index never changes. */
const indexFiles = new Map<string, Buffer>();

/**
 * Each repository's pack indexes as last listed (undefined: not plainly
 * readable). Packs come and go only with fetches and repacks: an object not
 * found in the list sends for a new listing before it is called missing.
 */
const listings = new Map<string, PackIndex[] | undefined>();

/** The pack indexes as listed, listed again when one of `oids` is in none of them. */
async function packIndexesFor(gitDir: string, oids: string[]): Promise<PackIndex[] | undefined> {
  const listed = listings.has(gitDir) ? listings.get(gitDir) : await listPackIndexes(gitDir);
  if (listed === undefined) return undefined;
  return oids.every((oid) => inPacks(listed, oid)) ? listed : listPackIndexes(gitDir);
}

function inPacks(indexes: PackIndex[], oid: string): boolean {
  return indexes.some(({ index }) => positionIn(index, oid) !== undefined);
}

/** Forgets what was listed of a repository (its folder was replaced). */
export function forgetPackIndexes(gitDir: string): void {
  listings.delete(gitDir);
}

async function listPackIndexes(gitDir: string): Promise<PackIndex[] | undefined> {
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
async function readPackIndexes(folder: string): Promise<PackIndex[] | undefined> {
  const indexes: PackIndex[] = [];
  const names = await readdir(folder).catch(() => [] as string[]);
  // Packs a gc or repack removed: their indexes are not kept in memory (a long-running mock lists again and again).
  for (const path of indexFiles.keys()) {
    if (dirname(path) === folder && !names.includes(basename(path))) indexFiles.delete(path);
  }
  for (const name of names) {
    if (!name.endsWith('.idx')) continue;
    const path = join(folder, name);
    const index = indexFiles.get(path) ?? (await readFile(path).catch(() => undefined));
    if (!index) continue;
    if (!plainIndex(index)) return undefined;
    indexFiles.set(path, index);
    indexes.push({ pack: join(folder, `${name.slice(0, -'.idx'.length)}.pack`), index });
  }
  return indexes;
}

/** A version-2 pack index whose fan-out table only ever grows (git refuses any other: "non-monotonic index"). */
function plainIndex(index: Buffer): boolean {
  if (index.length < 8 + 256 * 4 || !index.subarray(0, 4).equals(IDX_MAGIC) || index.readUInt32BE(4) !== 2)
    return false;
  for (let byte = 1; byte < 256; byte++)
    if (index.readUInt32BE(8 + byte * 4) < index.readUInt32BE(8 + (byte - 1) * 4)) return false;
  return true;
}

function loosePath(gitDir: string, oid: string): string {
  return join(gitDir, 'objects', oid.slice(0, 2), oid.slice(2));
}

export async function missingObjects(gitDir: string, oids: string[]): Promise<string[] | undefined> {
  const indexes = await packIndexesFor(gitDir, oids);
  if (indexes === undefined) return undefined;
  const missing = oids.filter((oid) => !inPacks(indexes, oid));
  const loose = await Promise.all(
    missing.map((oid) =>
      stat(loosePath(gitDir, oid)).then(
        () => true,
        () => false,
      ),
    ),
  );
  return missing.filter((_, index) => !loose[index]);
}

export interface StoredObject {
  type: 'commit' | 'tree' | 'blob' | 'tag';
  body: Buffer;
}

/**
 * Objects' types and contents, read from the repository's files and checked
 * against their ids; an object that is not there or not plainly readable is
 * undefined (the caller asks git for it), and so is the whole answer when
 * the repository stores objects where this does not look (alternates).
 */
export async function readObjects(
  gitDir: string,
  oids: string[],
): Promise<Map<string, StoredObject | undefined> | undefined> {
  // Listed afresh: an object is read from its pack file, which a repack may have replaced since the last listing.
  const indexes = await listPackIndexes(gitDir);
  if (indexes === undefined) return undefined;
  const out = new Map<string, StoredObject | undefined>();
  const files = new ObjectFiles(gitDir, indexes);
  try {
    for (const oid of oids) out.set(oid, await files.verified(oid));
  } finally {
    await files.close();
  }
  return out;
}

const TYPES: string[] = ['commit', 'tree', 'blob', 'tag'];
/** Pack entry types (gitformat-pack): 1–4 whole objects, 6 and 7 deltas against a base. */
const PACKED_TYPES: Record<number, string> = { 1: 'commit', 2: 'tree', 3: 'blob', 4: 'tag' };
const OFS_DELTA = 6;
const REF_DELTA = 7;
/** git's own limit on a delta chain is far lower (`pack.depth`, 50 by default); beyond this the pack is odd. */
const MAX_CHAIN = 10_000;
/** Larger objects (or a damaged header claiming one) are left to git. */
const MAX_OBJECT_BYTES = 256 * 2 ** 20;

class ObjectFiles {
  private readonly files = new Map<string, Promise<FileHandle>>();

  constructor(
    private readonly gitDir: string,
    private readonly indexes: PackIndex[],
  ) {}

  /** The object, when what was read hashes to its id. */
  async verified(oid: string): Promise<StoredObject | undefined> {
    if (!OBJECT_ID.test(oid)) return undefined;
    try {
      const found = await this.object(oid, 0);
      if (!found || !TYPES.includes(found.type)) return undefined;
      const hash = createHash(oid.length === 64 ? 'sha256' : 'sha1')
        .update(`${found.type} ${found.body.length}\0`)
        .update(found.body)
        .digest('hex');
      return hash === oid ? (found as StoredObject) : undefined;
    } catch {
      return undefined;
    }
  }

  async object(oid: string, depth: number): Promise<{ type: string; body: Buffer } | undefined> {
    for (const { pack, index } of this.indexes) {
      const position = positionIn(index, oid);
      if (position !== undefined)
        return this.packed(pack, packOffset(index, position, oid.length / 2), oid.length / 2, depth);
    }
    const loose = await readFile(loosePath(this.gitDir, oid)).catch(() => undefined);
    if (!loose) return undefined;
    const raw = inflateSync(loose);
    const nul = raw.indexOf(0);
    const [type = '', size = ''] = raw.subarray(0, nul).toString('latin1').split(' ');
    const body = raw.subarray(nul + 1);
    return body.length === Number(size) ? { type, body } : undefined;
  }

  private async packed(
    pack: string,
    offset: number,
    oidBytes: number,
    depth: number,
  ): Promise<{ type: string; body: Buffer } | undefined> {
    if (depth > MAX_CHAIN) return undefined;
    const file = await this.file(pack);
    // The entry's header: type and size, then for a delta where its base is.
    const head = Buffer.alloc(2 + 10 + 64);
    const { bytesRead } = await file.read(head, 0, head.length, offset);
    let at = 0;
    let byte = head[at++]!;
    const kind = (byte >> 4) & 7;
    let size = byte & 15;
    for (let shift = 4; byte & 0x80; shift += 7) {
      byte = head[at++]!;
      size += (byte & 0x7f) * 2 ** shift;
    }
    // The base is read only once this entry's own data checks out: a read started and then abandoned
    // would fail later, unheard, on a file already closed.
    let base: (() => Promise<{ type: string; body: Buffer } | undefined>) | undefined;
    if (kind === OFS_DELTA) {
      byte = head[at++]!;
      let distance = byte & 0x7f;
      while (byte & 0x80) {
        byte = head[at++]!;
        distance = (distance + 1) * 128 + (byte & 0x7f);
      }
      base = () => this.packed(pack, offset - distance, oidBytes, depth + 1);
    } else if (kind === REF_DELTA) {
      const baseOid = head.subarray(at, at + oidBytes).toString('hex');
      at += baseOid.length / 2;
      base = () => this.object(baseOid, depth + 1);
    } else if (!PACKED_TYPES[kind]) {
      return undefined;
    }
    if (at > bytesRead || size > MAX_OBJECT_BYTES) return undefined;
    // zlib's worst case for `size` bytes (deflateBound); what follows the stream is ignored.
    const bound = size + (size >> 12) + (size >> 14) + 64;
    const compressed = Buffer.alloc(bound);
    const read = await file.read(compressed, 0, bound, offset + at);
    // Never more than the header says: a damaged stream cannot make it allocate more.
    const data = inflateSync(compressed.subarray(0, read.bytesRead), { maxOutputLength: Math.max(1, size) });
    if (data.length !== size) return undefined;
    if (!base) return { type: PACKED_TYPES[kind]!, body: data };
    const resolved = await base();
    if (!resolved) return undefined;
    const body = applyDelta(resolved.body, data);
    return body && { type: resolved.type, body };
  }

  private file(path: string) {
    let handle = this.files.get(path);
    if (!handle) {
      handle = open(path, 'r');
      this.files.set(path, handle);
    }
    return handle;
  }

  async close(): Promise<void> {
    for (const handle of this.files.values()) await (await handle.catch(() => undefined))?.close();
  }
}

/** A delta (gitformat-pack, "Deltified representation") applied to its base; undefined when they disagree. */
function applyDelta(base: Buffer, delta: Buffer): Buffer | undefined {
  let at = 0;
  const varint = () => {
    let value = 0;
    let byte: number;
    let shift = 0;
    do {
      byte = delta[at++]!;
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80 && at < delta.length);
    return value;
  };
  if (varint() !== base.length) return undefined;
  const out = Buffer.alloc(varint());
  let written = 0;
  while (at < delta.length) {
    const op = delta[at++]!;
    if (op & 0x80) {
      let start = 0;
      let length = 0;
      for (let bit = 0; bit < 4; bit++) if (op & (1 << bit)) start += delta[at++]! * 2 ** (8 * bit);
      for (let bit = 0; bit < 3; bit++) if (op & (0x10 << bit)) length += delta[at++]! * 2 ** (8 * bit);
      if (length === 0) length = 0x10000;
      if (start + length > base.length || written + length > out.length) return undefined;
      base.copy(out, written, start, start + length);
      written += length;
    } else if (op > 0) {
      if (at + op > delta.length || written + op > out.length) return undefined;
      delta.copy(out, written, at, at + op);
      at += op;
      written += op;
    } else {
      return undefined;
    }
  }
  return written === out.length ? out : undefined;
}

/** Binary search of a version-2 pack index's sorted object ids, within the range its fan-out gives: the position, if there. */
function positionIn(index: Buffer, oid: string): number | undefined {
  if (!OBJECT_ID.test(oid)) return undefined;
  const wanted = Buffer.from(oid, 'hex');
  const size = wanted.length;
  const fanout = (byte: number) => (byte < 0 ? 0 : index.readUInt32BE(8 + byte * 4));
  const total = fanout(255);
  if (8 + 256 * 4 + total * size > index.length) return undefined;
  let low = fanout(wanted[0]! - 1);
  let high = fanout(wanted[0]!);
  // A damaged fan-out (git refuses it: "non-monotonic index") finds nothing rather than reading past the ids.
  if (low > high || high > total) return undefined;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const start = 8 + 256 * 4 + middle * size;
    const order = index.compare(wanted, 0, size, start, start + size);
    if (order === 0) return middle;
    if (order < 0) low = middle + 1;
    else high = middle;
  }
  return undefined;
}

/** Where the object at `position` starts in its pack: after the ids and CRCs, 4-byte offsets (the high bit points into 8-byte ones). */
function packOffset(index: Buffer, position: number, oidBytes: number): number {
  const total = index.readUInt32BE(8 + 255 * 4);
  const offsets = 8 + 256 * 4 + total * oidBytes + total * 4;
  const small = index.readUInt32BE(offsets + position * 4);
  if (!(small & 0x80000000)) return small;
  const large = offsets + total * 4 + (small & 0x7fffffff) * 8;
  return index.readUInt32BE(large) * 2 ** 32 + index.readUInt32BE(large + 4);
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
