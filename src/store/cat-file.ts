/**
 * One long-lived `git cat-file --batch` per cache serves every read of the
 * snapshots outside a transaction: folder listings (tree objects, parsed
 * here), which blob a path holds, and file contents. Before it, each listing
 * was an `ls-tree` and each batch of reads a `rev-list --missing=print` and a
 * `cat-file --batch`, some 15–20 git processes for a `can-i-deploy`. Paths
 * are resolved by walking trees by their ids from the commit's root, a depth
 * at a time; in a partial clone the trees of a depth the cache lacks are
 * fetched first, in one request, so git is never asked for an object it
 * would fetch by itself (one process per object). Asking which blob a path
 * holds never touches the blob; the caller finds the missing ones and
 * fetches them in one request (see `sessionReader`).
 * The process holds the event loop only while a request is outstanding, and
 * ends with entente (its stdin closes).
 */
import { GitError } from '../errors.js';
import { ChildOutput } from './child-output.js';
import type { PathEntry } from './fast-import.js';
import type { GitRunner } from './git.js';
import { fetchMissingTrees, readObjects } from './objects.js';

export interface TreeObjectEntry {
  name: string;
  mode: string;
  type: PathEntry['type'];
  oid: string;
}

type TreeBatch = { oids: Set<string>; partial: boolean; done: Promise<Map<string, TreeObjectEntry[]>> };

type Answer = { type: string; oid: string; body: Buffer } | undefined;

const processes = new WeakMap<GitRunner, CatFile>();

/** The cat-file process of this cache, started on first use. */
export function catFileFor(git: GitRunner): CatFile {
  let catFile = processes.get(git);
  if (!catFile) {
    catFile = new CatFile(git);
    processes.set(git, catFile);
  }
  return catFile;
}

/** Ends the cache's cat-file process (the cache was moved aside and made again: it would read the old one). */
export function closeCatFile(git: GitRunner): void {
  processes.get(git)?.close();
  processes.delete(git);
}

export class CatFile {
  private child: ReturnType<GitRunner['start']> | undefined;
  private output = new ChildOutput(() => this.failure('ended before it answered'));
  private exited = false;
  private stderr = '';
  private pending = 0;
  private queue: Promise<unknown> = Promise.resolve();
  /** Trees by `commit:dir` (a commit never changes). */
  private readonly trees = new Map<string, Promise<TreeObjectEntry[] | undefined>>();
  /** Trees asked for in this turn of the event loop, read together in the next. */
  private treeBatch: TreeBatch | undefined;
  /** Root tree ids by commit. */
  private readonly roots = new Map<string, Promise<string | undefined>>();

  constructor(private readonly git: GitRunner) {}

  /**
   * The entries of the folder `dir` of `commit` (undefined: no folder there).
   * `partial`: the cache may lack trees (see `treesOf`).
   */
  tree(commit: string, dir: string, partial = false): Promise<TreeObjectEntry[] | undefined> {
    return this.treesOf(commit, [dir], partial).then((trees) => trees.get(dir.replace(/\/+$/, '')));
  }

  /**
   * Several folders, read from the root down one depth at a time: every tree
   * of one depth is asked for by its id in one write. In a partial clone
   * (`partial`), the trees of a depth the cache lacks are fetched first, in
   * one request (see `fetchMissingTrees`), so git is never asked for an
   * object it would fetch by itself.
   */
  async treesOf(
    commit: string,
    dirs: string[],
    partial = false,
  ): Promise<Map<string, TreeObjectEntry[] | undefined>> {
    const clean = [...new Set(dirs.map((dir) => dir.replace(/\/+$/, '')))];
    const folders = new Set<string>();
    for (const dir of clean) {
      const segments = dir === '' ? [] : dir.split('/');
      for (let depth = 0; depth <= segments.length; depth++) folders.add(segments.slice(0, depth).join('/'));
    }
    const depthOf = (dir: string) => (dir === '' ? 0 : dir.split('/').length);
    // Not Math.max(...list): a listing of every folder can hold more entries than a call takes arguments.
    const deepest = [...folders].reduce((max, dir) => Math.max(max, depthOf(dir)), 0);
    for (let depth = 0; depth <= deepest; depth++) {
      const level = [...folders].filter((dir) => depthOf(dir) === depth);
      const unknown = level.filter((dir) => !this.trees.has(`${commit}:${dir}`));
      if (unknown.length === 0) continue;
      const read = this.readLevel(commit, unknown, partial);
      for (const dir of unknown) {
        const key = `${commit}:${dir}`;
        const tree = read.then((trees) => trees.get(dir));
        // A failed read (a fetch that could not be made) is not kept: the next walk tries again.
        tree.catch(() => {
          if (this.trees.get(key) === tree) this.trees.delete(key);
        });
        this.trees.set(key, tree);
      }
    }
    // Every folder of the walk at once: one that fails must not leave its siblings' failures unheard.
    const read = await Promise.all(clean.map((dir) => this.trees.get(`${commit}:${dir}`)));
    return new Map(clean.map((dir, index) => [dir, read[index]]));
  }

  /** Folders of one depth whose parent folders are read (or being read): their ids from the parents, then one request. */
  private async readLevel(
    commit: string,
    dirs: string[],
    partial: boolean,
  ): Promise<Map<string, TreeObjectEntry[] | undefined>> {
    const ids = new Map<string, string | undefined>();
    for (const dir of dirs) {
      if (dir === '') {
        ids.set(dir, await this.rootTree(commit));
        continue;
      }
      const slash = dir.lastIndexOf('/');
      const parent = await this.trees.get(`${commit}:${dir.slice(0, Math.max(0, slash))}`);
      const entry = parent?.find((e) => e.name === dir.slice(slash + 1));
      ids.set(dir, entry?.type === 'tree' ? entry.oid : undefined);
    }
    const wanted = [...new Set([...ids.values()].filter((oid): oid is string => oid !== undefined))];
    const objects = await this.treeObjects(wanted, partial);
    return new Map([...ids].map(([dir, oid]) => [dir, oid === undefined ? undefined : objects.get(oid)]));
  }

  /**
   * Trees by id (the cache must hold them once fetched: a missing one is an
   * error, not an empty folder). Trees asked for in the same turn of the
   * event loop (one depth of several walks) are fetched and read together.
   */
  treeObjects(oids: string[], partial: boolean): Promise<Map<string, TreeObjectEntry[]>> {
    if (oids.length === 0) return Promise.resolve(new Map());
    if (!this.treeBatch) {
      const batch: TreeBatch = { oids: new Set(), partial: false, done: Promise.resolve(new Map()) };
      batch.done = new Promise((resolve) => setImmediate(resolve)).then(() => {
        if (this.treeBatch === batch) this.treeBatch = undefined;
        return this.readTrees([...batch.oids], batch.partial);
      });
      this.treeBatch = batch;
    }
    const batch = this.treeBatch;
    for (const oid of oids) batch.oids.add(oid);
    batch.partial ||= partial;
    return batch.done.then((all) => new Map(oids.map((oid) => [oid, all.get(oid)!])));
  }

  private async readTrees(oids: string[], partial: boolean): Promise<Map<string, TreeObjectEntry[]>> {
    if (partial) await fetchMissingTrees(this.git, oids);
    const answers = await this.ask(oids);
    const out = new Map<string, TreeObjectEntry[]>();
    oids.forEach((oid, index) => {
      const answer = answers[index];
      if (answer?.type !== 'tree') throw this.failure(`has no tree ${oid}`);
      out.set(oid, parseTreeObject(answer.body, oid.length / 2));
    });
    return out;
  }

  /** The id of the folder `dir` of `commit` (undefined: no folder there), read from its parent folder. */
  async treeId(commit: string, dir: string, partial = false): Promise<string | undefined> {
    const clean = dir.replace(/\/+$/, '');
    if (clean === '') return this.rootTree(commit);
    const slash = clean.lastIndexOf('/');
    const parent = await this.tree(commit, clean.slice(0, Math.max(0, slash)), partial);
    const entry = parent?.find((e) => e.name === clean.slice(slash + 1));
    return entry?.type === 'tree' ? entry.oid : undefined;
  }

  /** The root tree of a commit, from the commit object (which every fetch brings). */
  rootTree(commit: string): Promise<string | undefined> {
    let root = this.roots.get(commit);
    if (!root) {
      root = this.ask([`${commit}^{commit}`]).then(([answer]) => {
        if (answer?.type !== 'commit') return undefined;
        return /^tree ([0-9a-f]{40,64})$/m.exec(answer.body.toString('latin1'))?.[1];
      });
      this.roots.set(commit, root);
    }
    return root;
  }

  /** What each path is at `commit`, read from its folder's tree (the blob itself is not touched). */
  async ls(commit: string, paths: string[], partial = false): Promise<Map<string, PathEntry | undefined>> {
    const parent = (path: string) => path.slice(0, Math.max(0, path.lastIndexOf('/')));
    const trees = await this.treesOf(commit, paths.map(parent), partial);
    return new Map(
      paths.map((path) => {
        const name = path.slice(path.lastIndexOf('/') + 1);
        const entry = trees.get(parent(path))?.find((e) => e.name === name);
        return [path, entry && { mode: entry.mode, type: entry.type, oid: entry.oid }];
      }),
    );
  }

  /** Whether the cache holds this commit (what `git cat-file -e <commit>^{commit}` says, without a process of its own). */
  async hasCommit(commit: string): Promise<boolean> {
    const answers = await this.ask([`${commit}^{commit}`]).catch(() => []);
    return answers[0]?.type === 'commit';
  }

  /** The contents of blobs (which must be in the repository: a partial clone fetches them first). */
  async catBlobs(oids: string[]): Promise<Map<string, Buffer>> {
    const wanted = [...new Set(oids)];
    const answers = await this.ask(wanted);
    const out = new Map<string, Buffer>();
    wanted.forEach((oid, index) => {
      const answer = answers[index];
      if (answer?.type !== 'blob') throw this.failure(`has no blob ${oid}`);
      out.set(oid, answer.body);
    });
    return out;
  }

  /** Sends object names (one write) and reads their answers, one request at a time. */
  private ask(names: string[]): Promise<Answer[]> {
    if (names.some((name) => /[\n\r]/.test(name))) {
      return Promise.reject(
        new GitError('git.batch', 'refusing to ask git cat-file for a name with a line break'),
      );
    }
    this.hold(+1);
    const work = async (): Promise<Answer[]> => {
      if (names.length === 0) return [];
      this.send(names.map((name) => `${name}\n`).join(''));
      const answers: Answer[] = [];
      for (const name of names) {
        const header = await this.output.line();
        if (header === `${name} missing` || header === `${name} ambiguous`) {
          answers.push(undefined);
          continue;
        }
        const found = /^([0-9a-f]{40,64}) (blob|tree|commit|tag) (\d+)$/.exec(header);
        if (!found) throw this.failure(`answered ${JSON.stringify(header)} for ${name}`);
        const body = await this.output.bytes(Number(found[3]) + 1);
        answers.push({ oid: found[1]!, type: found[2]!, body: body.subarray(0, body.length - 1) });
      }
      return answers;
    };
    const guarded = () =>
      work().catch((error: unknown) => {
        // Its output can no longer be trusted to line up with the questions: the next request starts anew.
        this.child?.kill();
        this.exited = true;
        throw error;
      });
    const next = this.queue.then(guarded, guarded);
    this.queue = next.catch(() => undefined);
    return next.finally(() => this.hold(-1));
  }

  close(): void {
    if (this.child && !this.exited) this.child.stdin.end();
  }

  /** Keeps the event loop (and so entente) alive only while answers are awaited. */
  private hold(delta: number): void {
    this.pending += delta;
    const child = this.child;
    if (!child) return;
    const streams = [child.stdin, child.stdout, child.stderr] as unknown as { ref(): void; unref(): void }[];
    if (this.pending > 0) {
      child.ref();
      for (const stream of streams) stream.ref?.();
    } else {
      child.unref();
      for (const stream of streams) stream.unref?.();
    }
  }

  private start(): ReturnType<GitRunner['start']> {
    if (this.child && !this.exited) return this.child;
    const output = new ChildOutput(() => this.failure('ended before it answered'));
    this.output = output;
    this.stderr = '';
    this.exited = false;
    const child = this.git.start(['cat-file', '--batch']);
    this.child = child;
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString('utf8');
    });
    child.stdin.on('error', () => {});
    const ended = (message?: string) => {
      if (message) this.stderr += message;
      if (this.child === child) this.exited = true;
      output.close();
    };
    child.on('error', (error) => ended(error.message));
    child.on('close', () => ended());
    return child;
  }

  private send(text: string): void {
    const child = this.start();
    this.hold(0);
    child.stdin.write(text);
  }

  private failure(what: string): GitError {
    const detail = this.stderr.trim();
    return new GitError(
      'git.batch',
      `git cat-file in ${this.git.dir} ${what}${detail ? `: ${detail.split('\n')[0]}` : ''}`,
    );
  }
}

/** A tree object: `<mode> <name>\0<binary object id>` per entry, in git's order. */
export function parseTreeObject(body: Buffer, oidBytes: number): TreeObjectEntry[] {
  const entries: TreeObjectEntry[] = [];
  let offset = 0;
  while (offset < body.length) {
    const space = body.indexOf(32, offset);
    const nul = body.indexOf(0, space + 1);
    if (space < 0 || nul < 0 || nul + 1 + oidBytes > body.length) break;
    const mode = body.subarray(offset, space).toString('latin1').padStart(6, '0');
    const name = body.subarray(space + 1, nul).toString('utf8');
    const oid = body.subarray(nul + 1, nul + 1 + oidBytes).toString('hex');
    const type = mode === '040000' ? 'tree' : mode === '160000' ? 'commit' : 'blob';
    entries.push({ name, mode, type, oid });
    offset = nul + 1 + oidBytes;
  }
  return entries;
}

/**
 * The entries of folders whose `ls` answers are known (a transaction's
 * fast-import says which tree each is but cannot print one), read from the
 * cache's files: undefined for a path that is no folder (nothing there, or a
 * file), and left out of the map for a tree not plainly readable there, for
 * the caller to ask git about.
 */
export async function foldersFromFiles(
  gitDir: string,
  listed: ReadonlyMap<string, PathEntry | undefined>,
): Promise<Map<string, TreeObjectEntry[] | undefined>> {
  const trees = [...listed.values()].flatMap((entry) => (entry?.type === 'tree' ? [entry.oid] : []));
  const objects = trees.length > 0 ? await readObjects(gitDir, trees) : undefined;
  const out = new Map<string, TreeObjectEntry[] | undefined>();
  for (const [folder, entry] of listed) {
    if (entry?.type !== 'tree') out.set(folder, undefined);
    else {
      const object = objects?.get(entry.oid);
      if (object?.type === 'tree') out.set(folder, parseTreeObject(object.body, entry.oid.length / 2));
    }
  }
  return out;
}
