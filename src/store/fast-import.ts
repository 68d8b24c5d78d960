/**
 * One `git fast-import` process per transaction attempt does all of its
 * object work: it answers the reads (`ls` for a path's blob, `cat-blob` for
 * its content) and, at the end, writes the new blobs, trees and the commit in
 * one pack. Before it, a transaction ran a `cat-file --batch` per read and
 * five processes to build a commit (`hash-object`, `read-tree`,
 * `update-index`, `write-tree`, `commit-tree`). fast-import writes nothing
 * until a complete commit command reaches it, so a transaction that is
 * abandoned half-way (an error, a killed process) leaves no commit behind.
 */
import { createHash } from 'node:crypto';
import { GitError } from '../errors.js';
import { foldersFromFiles } from './cat-file.js';
import { ChildOutput } from './child-output.js';
import type { GitRunner } from './git.js';
import { fetchMissingTrees } from './objects.js';

/** At least this many paths asked for at once, and in one folder, and that folder is listed instead (see `lsThroughFolders`). */
const FOLDER_LISTING_FROM = 16;

/** What a commit's tree holds at a path. */
export interface PathEntry {
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  oid: string;
}

export interface NewCommit {
  /** The ref fast-import leaves pointing at the commit (the transaction's own). */
  ref: string;
  parent: string | null;
  message: string;
  author: string;
  committer: string;
  writes: ReadonlyMap<string, string>;
  removals: ReadonlySet<string>;
}

export class FastImport {
  private readonly output = new ChildOutput(() => this.failure('stopped answering'));
  private exited: { code: number | null } | undefined;
  private stderr = '';
  private readonly exit: Promise<number | null>;
  /** Commands run one at a time: each reads its answers before the next is sent. */
  private queue: Promise<unknown> = Promise.resolve();
  /** What `ls` said, by commit and path (a commit never changes). */
  private readonly entries = new Map<string, PathEntry | undefined>();

  private constructor(private readonly git: GitRunner) {
    const child = git.start(['fast-import', '--quiet']);
    this.child = child;
    child.stdout.on('data', (chunk: Buffer) => this.output.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString('utf8');
    });
    // A process that died (or never started) fails the command waiting for it, not the whole program.
    child.stdin.on('error', () => {});
    this.exit = new Promise((resolve) => {
      child.on('error', (error) => {
        this.stderr += error.message;
        this.exited = { code: null };
        this.output.close();
        resolve(null);
      });
      child.on('close', (code) => {
        this.exited = { code };
        this.output.close();
        resolve(code);
      });
    });
  }

  private readonly child: ReturnType<GitRunner['start']>;

  static start(git: GitRunner): FastImport {
    return new FastImport(git);
  }

  /**
   * What each path is at `commit` (undefined: nothing there). `partial`: the
   * cache may lack the trees below the commit's root folder (which every
   * fetch of a head brings, see `ContractsStore.fetchBranch`), so the folders
   * on the paths are listed a depth at a time (a listing reads only the
   * folders above it) and the trees the cache lacks are fetched, one request
   * per depth, before fast-import reads them: it would fetch each by itself.
   */
  async ls(commit: string, paths: string[], partial = false): Promise<Map<string, PathEntry | undefined>> {
    if (partial) {
      const folders = new Set<string>();
      for (const path of paths) {
        const segments = path.split('/');
        for (let depth = 1; depth < segments.length; depth++) folders.add(segments.slice(0, depth).join('/'));
      }
      const deepest = [...folders].reduce((max, folder) => Math.max(max, folder.split('/').length), 0);
      for (let depth = 1; depth <= deepest; depth++) {
        const level = [...folders].filter((folder) => folder.split('/').length === depth);
        const entries = await this.serialized(() => this.lsNow(commit, level));
        const trees = [...entries.values()]
          .filter((entry) => entry?.type === 'tree')
          .map((entry) => entry!.oid);
        if (trees.length > 0) await fetchMissingTrees(this.git, trees);
      }
    }
    return this.serialized(() => this.lsNow(commit, paths));
  }

  private async lsNow(commit: string, paths: string[]): Promise<Map<string, PathEntry | undefined>> {
    let unknown = [...new Set(paths)].filter((path) => !this.entries.has(`${commit}:${path}`));
    if (unknown.length >= FOLDER_LISTING_FROM) {
      await this.lsThroughFolders(commit, unknown);
      unknown = unknown.filter((path) => !this.entries.has(`${commit}:${path}`));
    }
    if (unknown.length > 0) {
      this.send(unknown.map((path) => `ls ${commit} ${quote(path)}\n`).join(''));
      for (const path of unknown) {
        const line = await this.output.line();
        if (line.startsWith('missing ')) {
          this.entries.set(`${commit}:${path}`, undefined);
          continue;
        }
        const found = /^(\d{6}) (blob|tree|commit) ([0-9a-f]{40,64})\t/.exec(line);
        if (!found) throw this.failure(`answered ${JSON.stringify(line)} to ls ${path}`);
        this.entries.set(`${commit}:${path}`, {
          mode: found[1]!,
          type: found[2] as PathEntry['type'],
          oid: found[3]!,
        });
      }
    }
    return new Map(paths.map((path) => [path, this.entries.get(`${commit}:${path}`)]));
  }

  /**
   * Answers for many paths from their folders: fast-import reads a commit's
   * trees afresh for every `ls` (a prune's 100,000 paths took minutes), so a
   * folder holding several of the paths is listed once (`ls` of the folder,
   * its tree object read from the cache's files) and every path in it
   * answered from that listing. A folder whose tree cannot be read that way
   * is left to one `ls` per path.
   */
  private async lsThroughFolders(commit: string, paths: string[]): Promise<void> {
    const byFolder = new Map<string, string[]>();
    for (const path of paths) {
      const slash = path.lastIndexOf('/');
      if (slash <= 0) continue;
      const folder = path.slice(0, slash);
      const inside = byFolder.get(folder);
      if (inside) inside.push(path);
      else byFolder.set(folder, [path]);
    }
    const folders = [...byFolder]
      .filter(([, inside]) => inside.length >= FOLDER_LISTING_FROM)
      .map(([f]) => f);
    if (folders.length === 0) return;
    const trees = await foldersFromFiles(this.git.dir, await this.lsNow(commit, folders));
    for (const folder of folders) {
      if (!trees.has(folder)) continue;
      // No folder there (nothing, or a file): nothing under it either, as `ls` would say.
      const children = new Map((trees.get(folder) ?? []).map((child) => [child.name, child]));
      for (const path of byFolder.get(folder)!) {
        const child = children.get(path.slice(folder.length + 1));
        this.entries.set(
          `${commit}:${path}`,
          child ? { mode: child.mode, type: child.type, oid: child.oid } : undefined,
        );
      }
    }
  }

  /** The contents of blobs (which must be in the repository: a partial clone fetches them first). */
  catBlobs(oids: string[]): Promise<Map<string, Buffer>> {
    return this.serialized(async () => {
      const wanted = [...new Set(oids)];
      const out = new Map<string, Buffer>();
      if (wanted.length === 0) return out;
      this.send(wanted.map((oid) => `cat-blob ${oid}\n`).join(''));
      for (const oid of wanted) {
        const header = await this.output.line();
        const found = /^([0-9a-f]{40,64}) blob (\d+)$/.exec(header);
        if (!found || found[1] !== oid)
          throw this.failure(`answered ${JSON.stringify(header)} to cat-blob ${oid}`);
        const content = await this.output.bytes(Number(found[2]) + 1);
        out.set(oid, content.subarray(0, content.length - 1));
      }
      return out;
    });
  }

  /**
   * Writes `commit` unless it changes nothing: a write of the content already
   * there, or a removal of a path that is not there, is left out. Returns the
   * new commit, or null when nothing was left.
   */
  commit(commit: NewCommit): Promise<string | null> {
    return this.serialized(async () => {
      let writes = [...commit.writes];
      let removals = [...commit.removals];
      if (commit.parent) {
        const parent = commit.parent;
        const before = await this.lsNow(parent, [...writes.map(([path]) => path), ...removals]);
        const hash = parent.length === 64 ? 'sha256' : 'sha1';
        const unchanged = (path: string, text: string) => {
          const entry = before.get(path);
          return entry?.type === 'blob' && entry.mode === '100644' && entry.oid === blobId(hash, text);
        };
        // Filtered into new arrays: spreading a prune's 100,000 paths into a call would overflow the stack.
        writes = writes.filter(([path, text]) => !unchanged(path, text));
        // A removal takes away a file, as `update-index` did: never a whole folder.
        removals = removals.filter((path) => before.get(path)?.type === 'blob');
      } else {
        removals = [];
      }
      if (writes.length === 0 && removals.length === 0) return null;
      const parts: (string | Buffer)[] = [
        `commit ${commit.ref}\nmark :1\nauthor ${commit.author}\ncommitter ${commit.committer}\n`,
        ...data(commit.message),
        commit.parent ? `from ${commit.parent}\n` : '',
      ];
      for (const [path, text] of writes) parts.push(`M 100644 inline ${quote(path)}\n`, ...data(text));
      for (const path of removals) parts.push(`D ${quote(path)}\n`);
      parts.push('\nget-mark :1\n');
      this.send(Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part) : part))));
      const oid = await this.output.line();
      if (!/^[0-9a-f]{40,64}$/.test(oid)) throw this.failure(`answered ${JSON.stringify(oid)} to get-mark`);
      return oid;
    });
  }

  /** Ends the session: fast-import writes its pack and the ref of a commit, if one was made. */
  async finish(): Promise<void> {
    await this.queue.catch(() => undefined);
    if (!this.exited) this.child.stdin.end('done\n');
    const code = await this.exit;
    if (code !== 0) throw this.failure(`exited with code ${code}`);
  }

  /** Ends the session without waiting for it; what it had not written stays unwritten. */
  close(): void {
    if (!this.exited) this.child.stdin.end();
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private send(text: string | Buffer): void {
    if (this.exited) throw this.failure('is no longer running');
    this.child.stdin.write(text);
  }

  private failure(what: string): GitError {
    const detail = this.stderr.trim().split('\n')[0];
    return new GitError(
      'git.fast-import',
      `git fast-import in ${this.git.dir} ${what}${detail ? `: ${detail}` : ''}`,
    );
  }
}

/** A path as fast-import reads it: C-style quoted, so spaces and quotes cannot shift the fields. */
function quote(path: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what gets escaped
  return `"${path.replace(/[\\"\u0000-\u001f\u007f]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`)}"`;
}

/** fast-import's `data` command with an exact byte count. */
function data(text: string): Buffer[] {
  const bytes = Buffer.from(text, 'utf8');
  return [Buffer.from(`data ${bytes.length}\n`), bytes, Buffer.from('\n')];
}

/** The id git gives a file with this content (`git hash-object`). */
export function blobId(hash: 'sha1' | 'sha256', text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  return createHash(hash).update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}
