import type { Static, TSchema } from '@sinclair/typebox';
import { RecordError } from '../errors.js';
import { checkRecord } from '../model/validate.js';
import { parseJsonOrYaml } from '../util/parse.js';
import { recordDisagreement, WRITABLE_SEGMENT } from './agreement.js';
import { catFileFor, foldersFromFiles, type TreeObjectEntry } from './cat-file.js';
import type { PathEntry } from './fast-import.js';
import type { GitRunner } from './git.js';
import { fetchObjects, missingObjects } from './objects.js';

export interface TreeEntry {
  name: string;
  path: string;
  type: 'blob' | 'tree';
}

type ListedEntry = Omit<TreeEntry, 'type'> & { type: TreeEntry['type'] | 'other' };

/** Reads the files at `paths` of `commit` (undefined: not a file there). */
export type BlobReader = (commit: string, paths: string[]) => Promise<Map<string, string | undefined>>;

/** The entries of the folders `dirs` of `commit` (undefined: not a folder there). */
export type TreeReader = (
  commit: string,
  dirs: string[],
) => Promise<Map<string, TreeObjectEntry[] | undefined>>;

/**
 * The contracts repository at one commit, read without a working tree. Reads
 * touch only the files asked for: nothing here walks history.
 */
export class Snapshot {
  private readonly cache = new Map<string, Promise<string | undefined>>();
  /** Paths listings left out because entente could not have written their names (newlines, odd bytes, submodules…). */
  readonly ignored = new Set<string>();

  constructor(
    private readonly git: GitRunner,
    /** The commit read, or null when the repository has no commit yet. */
    readonly commit: string | null,
    /** Inside a transaction: what it already wrote or removed, which reads see first. */
    private readonly pending?: { writes: ReadonlyMap<string, string>; removals: ReadonlySet<string> },
    /** Whether the cache may lack trees and file contents (a partial clone); false spares a check per batch read. */
    private readonly partial = true,
    /** Inside a transaction: its fast-import process answers the reads (see `sessionReader`). */
    reader?: BlobReader,
    /** Inside a transaction: its fast-import process says which tree each folder is (see `sessionTrees`). */
    trees?: TreeReader,
  ) {
    this.reader = reader ?? sessionReader(git, () => catFileFor(git), partial);
    this.trees = trees ?? ((commit, dirs) => catFileFor(git).treesOf(commit, dirs, partial));
  }

  /** Answers the reads: a transaction's fast-import, else the cache's long-lived `cat-file --batch`. */
  private readonly reader: BlobReader;
  /** Answers the listings, the same way. */
  private readonly trees: TreeReader;

  /** The entries directly inside `dir` (files and folders), sorted by name, as committed (a transaction's own writes are not listed). */
  async list(dir: string): Promise<TreeEntry[]> {
    if (!this.commit) return [];
    const base = dir.replace(/\/+$/, '');
    const entries = (await this.trees(this.commit, [base])).get(base) ?? [];
    return entries
      .map(
        (entry): ListedEntry => ({
          name: entry.name,
          path: base ? `${base}/${entry.name}` : entry.name,
          type: entry.type === 'commit' ? 'other' : entry.type,
        }),
      )
      .filter((entry) => this.writable(entry.path, entry.type !== 'other')) as TreeEntry[];
  }

  /** Keeps paths whose every segment entente could have written; notes the others. */
  private writable(path: string, plainEntry = true): boolean {
    if (plainEntry && path.split('/').every((segment) => WRITABLE_SEGMENT.test(segment))) return true;
    this.ignored.add(path);
    return false;
  }

  /** Every file under `dir`, recursively, in git's order (what `ls-tree -r` lists); one request per depth. */
  async listFiles(dir: string): Promise<string[]> {
    if (!this.commit) return [];
    const base = dir.replace(/\/+$/, '');
    if (this.partial) await this.fetchFoldersBelow(base);
    const trees = await this.trees(this.commit, [base]);
    for (let level = [base]; level.length > 0; ) {
      const below = level.flatMap((folder) =>
        (trees.get(folder) ?? [])
          .filter((entry) => entry.type === 'tree')
          .map((entry) => (folder ? `${folder}/${entry.name}` : entry.name)),
      );
      for (const [folder, entries] of await this.trees(this.commit, below)) trees.set(folder, entries);
      level = below;
    }
    const files: string[] = [];
    const walk = (folder: string) => {
      for (const entry of trees.get(folder) ?? []) {
        const path = folder ? `${folder}/${entry.name}` : entry.name;
        if (entry.type === 'tree') walk(path);
        else files.push(path);
      }
    };
    walk(base);
    return files.filter((path) => this.writable(path));
  }

  /**
   * In a partial clone, a folder none of whose subfolders the cache holds
   * (a cold read) has every folder below it fetched in one request
   * (`--filter=blob:none` on its subfolders sends every tree under them),
   * where the walk would make one per depth. A folder the cache already holds some of
   * is left to the walk, which fetches only what is missing.
   */
  private async fetchFoldersBelow(base: string): Promise<void> {
    const catFile = catFileFor(this.git);
    const id = this.commit ? await catFile.treeId(this.commit, base, true) : undefined;
    if (!id) return;
    const below = ((await catFile.treeObjects([id], true)).get(id) ?? [])
      .filter((entry) => entry.type === 'tree')
      .map((entry) => entry.oid);
    if (below.length === 0) return;
    const missing = await missingObjects(this.git.dir, below);
    if (missing === undefined || missing.length < below.length) return;
    // Its subfolders, not the folder itself: git fetches nothing when every object asked for is there.
    await fetchObjects(this.git, below, 'blob:none');
  }

  async read(path: string): Promise<string | undefined> {
    return (await this.readMany([path])).get(path);
  }

  /** Reads several files with one git process. */
  async readMany(paths: string[]): Promise<Map<string, string | undefined>> {
    const result = new Map<string, string | undefined>();
    const fromPending = (path: string) =>
      this.pending?.writes.get(path) ?? (this.pending?.removals.has(path) ? null : undefined);
    const missing = paths.filter((p) => !this.cache.has(p) && fromPending(p) === undefined);
    if (missing.length > 0) {
      const batch = this.fetchBlobs(missing);
      for (const path of missing)
        this.cache.set(
          path,
          batch.then((m) => m.get(path)),
        );
    }
    for (const path of paths) {
      const pending = fromPending(path);
      result.set(path, pending === null ? undefined : (pending ?? (await this.cache.get(path))));
    }
    return result;
  }

  /** A JSON or YAML record, validated against its schema; undefined when the file does not exist. */
  async readRecord<S extends TSchema>(schema: S, path: string): Promise<Static<S> | undefined> {
    const text = await this.read(path);
    return text === undefined ? undefined : await parseRecord(schema, text, path);
  }

  async readRecords<S extends TSchema>(schema: S, paths: string[]): Promise<Map<string, Static<S>>> {
    const texts = await this.readMany(paths);
    const out = new Map<string, Static<S>>();
    for (const [path, text] of texts)
      if (text !== undefined) out.set(path, await parseRecord(schema, text, path));
    return out;
  }

  private async fetchBlobs(paths: string[]): Promise<Map<string, string | undefined>> {
    const out = new Map<string, string | undefined>();
    if (!this.commit) {
      for (const p of paths) out.set(p, undefined);
      return out;
    }
    // One path per line: a path that could hold a line break would shift every answer after it.
    const unreadable = paths.find((p) => !p.split('/').every((segment) => WRITABLE_SEGMENT.test(segment)));
    if (unreadable !== undefined) {
      throw new RecordError(
        'record.path',
        `refusing to read ${JSON.stringify(unreadable)}: entente could not have written a file by that name`,
      );
    }
    return this.reader(this.commit, paths);
  }
}

/** What answers reads: a transaction's fast-import, or the cache's cat-file process. */
export interface ObjectReader {
  /** `partial`: the cache may lack trees, which are fetched (a depth at a time) before they are read. */
  ls(commit: string, paths: string[], partial: boolean): Promise<Map<string, PathEntry | undefined>>;
  catBlobs(oids: string[]): Promise<Map<string, Buffer>>;
}

/**
 * Reads through a transaction's fast-import process: `ls` finds each path's
 * blob and `cat-blob` prints it. Reads asked for in the same turn of the
 * event loop (a `Promise.all` of record reads) go out as one batch, so a
 * partial clone fetches their missing contents in one request.
 */
export function sessionReader(git: GitRunner, session: () => ObjectReader, partial: boolean): BlobReader {
  let queued: {
    commit: string;
    paths: string[];
    done: (result: Promise<Map<string, string | undefined>>) => void;
  }[] = [];
  const run = async (commit: string, paths: string[]): Promise<Map<string, string | undefined>> => {
    const entries = await session().ls(commit, paths, partial);
    const blobs = paths.filter((path) => entries.get(path)?.type === 'blob');
    if (partial && blobs.length > 0) {
      const missing = await missingObjects(
        git.dir,
        blobs.map((path) => entries.get(path)!.oid),
      );
      if (missing === undefined) await fetchMissingBlobs(git, commit, blobs);
      else if (missing.length > 0) await fetchObjects(git, missing, 'blob:none');
    }
    const contents = await session().catBlobs(blobs.map((path) => entries.get(path)!.oid));
    return new Map(
      paths.map((path) => {
        const entry = entries.get(path);
        return [path, entry?.type === 'blob' ? contents.get(entry.oid)?.toString('utf8') : undefined];
      }),
    );
  };
  const flush = () => {
    const batch = queued;
    queued = [];
    for (const commit of new Set(batch.map((request) => request.commit))) {
      const requests = batch.filter((request) => request.commit === commit);
      const all = run(commit, [...new Set(requests.flatMap((request) => request.paths))]);
      for (const request of requests) request.done(all);
    }
  };
  return (commit, paths) =>
    new Promise<Map<string, string | undefined>>((resolve) => {
      if (queued.length === 0) setImmediate(flush);
      queued.push({ commit, paths, done: resolve });
    }).then((contents) => new Map(paths.map((path) => [path, contents.get(path)])));
}

/**
 * Lists folders for a transaction without a second git process:
 * fast-import's `ls` says which tree each folder is, and the tree objects
 * are read from the cache's files (see objects.ts; fast-import cannot print
 * a tree). A tree read that way only when it hashes to its id; any other is
 * asked of the cache's `cat-file --batch`. In a partial clone (`partial`),
 * `ls` fetches the trees on the way that the cache lacks, a depth at a time.
 */
export function sessionTrees(git: GitRunner, session: () => ObjectReader, partial: boolean): TreeReader {
  return async (commit, dirs) => {
    const clean = [...new Set(dirs.map((dir) => dir.replace(/\/+$/, '')))];
    const out = await foldersFromFiles(git.dir, await session().ls(commit, clean, partial));
    const unread = clean.filter((dir) => !out.has(dir));
    if (unread.length > 0)
      for (const [dir, tree] of await catFileFor(git).treesOf(commit, unread, partial)) out.set(dir, tree);
    return new Map(dirs.map((dir) => [dir, out.get(dir.replace(/\/+$/, ''))]));
  };
}

/**
 * The cache is a partial clone: it has the commit's trees but only the file
 * contents earlier reads fetched. Before a batch read, the missing contents
 * of exactly these paths are listed (the pathspec keeps the walk to them)
 * and fetched in one request, instead of git's one fetch per object.
 */
async function fetchMissingBlobs(git: GitRunner, commit: string, paths: string[]): Promise<void> {
  const readable = paths.filter((p) => !/[\n\r]/.test(p));
  if (readable.length === 0) return;
  const listing = await git.run(
    ['--literal-pathspecs', 'rev-list', '--objects', '--missing=print', '--no-walk', '--stdin'],
    { input: `${commit}\n--\n${readable.join('\n')}\n` },
  );
  const missing = listing
    .split('\n')
    .filter((line) => line.startsWith('?'))
    .map((line) => line.slice(1));
  if (missing.length > 0) await fetchObjects(git, missing, 'blob:none');
}

export async function parseRecord<S extends TSchema>(
  schema: S,
  text: string,
  path: string,
): Promise<Static<S>> {
  let data: unknown;
  try {
    data = await parseJsonOrYaml(text, path);
  } catch (error) {
    throw new RecordError('record.unreadable', `contracts repository file ${(error as Error).message}`, {
      cause: error,
    });
  }
  const record = checkRecord(schema, data, `contracts repository file ${path}`);
  const disagreement = recordDisagreement(path, record);
  if (disagreement !== undefined) {
    throw new RecordError(
      'record.disagrees',
      `contracts repository file ${path} disagrees with its path: ${disagreement}; entente does not believe it (fix or remove the file)`,
      { details: [{ where: path, message: disagreement }] },
    );
  }
  return record;
}
