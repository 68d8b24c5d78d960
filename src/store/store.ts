import { randomBytes } from 'node:crypto';
import { readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Static, TSchema } from '@sinclair/typebox';
import { GitError, InputError } from '../errors.js';
import { checkRecord } from '../model/validate.js';
import { redactShapes } from '../redact/shapes.js';
import { prettyJson } from '../util/canonical-json.js';
import { catFileFor, closeCatFile } from './cat-file.js';
import { FastImport } from './fast-import.js';
import { type GitEnv, type GitRunner, gitRunner } from './git.js';
import {
  CACHE_FETCH,
  CACHE_REMOTE,
  type ContractsLocation,
  cachePath,
  describeLocation,
  openCache,
  openUpstream,
  pointUnbornHeadAt,
  removeCache,
  type Upstream,
} from './location.js';
import { forgetPackIndexes, missingObjects } from './objects.js';
import { withPushLock } from './push-lock.js';
import { Snapshot, sessionReader, sessionTrees } from './snapshot.js';

export interface StoreOptions {
  location: ContractsLocation;
  /** The branch of the contracts repository that holds the truth. */
  branch: string;
  /** Where cache repositories live. */
  cacheDir: string;
  /** The environment git runs with (the user's, captured at the CLI edge). */
  env: GitEnv;
  retry?: Partial<RetryPolicy>;
  /** Test-only: runs after the commit is built and before it is pushed. */
  beforePush?: () => Promise<void>;
  /** Where warnings go (stale reads); default: nowhere. */
  warn?: (message: string) => void;
  /** The clock for the age of an offline read (tests); default: the system clock. */
  now?: () => Date;
  /** More packs than this in the cache and the next fetch consolidates them (see `consolidatePacks`); default 50. */
  maxPacks?: number;
}

/** Packs a cache may gather (large fetches and writes add one each) before a fetch consolidates them. */
const MAX_PACKS = 50;
/** Loose objects (small fetches and writes leave theirs loose) likewise: git's own `gc.auto` default. */
const MAX_LOOSE_OBJECTS = 6700;

/**
 * How a read gets its state: `fresh` fetches the remote and fails when it
 * cannot (the default: a verdict answers from the remote's current state or
 * not at all); `offline` reads the last fetched copy without contacting the
 * remote, and says which commit and how old; `fresh-or-cached` fetches and
 * falls back to the last fetched copy with a warning (for reads that decide
 * nothing, such as a mock's spec).
 */
export type Freshness = 'fresh' | 'offline' | 'fresh-or-cached';

/** Where a snapshot's state came from. */
export interface SnapshotSource {
  /** True when read from the cache without contacting the remote. */
  offline: boolean;
  /** The commit read (null: the contracts branch has no commit yet). */
  commit: string | null;
  /** When that commit was last fetched from the remote (offline reads only). */
  fetchedAt?: string;
  /** Seconds between that fetch and now (offline reads only). */
  ageSeconds?: number;
}

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 30, baseDelayMs: 40, maxDelayMs: 1500 };

/** The changes a transaction wants: files to write and files to remove. */
export class Changes {
  readonly writes = new Map<string, string>();
  readonly removals = new Set<string>();

  write(path: string, text: string): void {
    assertRepoPath(path);
    this.removals.delete(path);
    this.writes.set(path, text);
  }

  /** Validates `data` against its schema before it can reach the repository. */
  writeRecord<S extends TSchema>(schema: S, path: string, data: Static<S>): void {
    checkRecord(schema, data, `contracts repository file ${path}`);
    this.write(path, prettyJson(data));
  }

  remove(path: string): void {
    assertRepoPath(path);
    this.writes.delete(path);
    this.removals.add(path);
  }

  get empty(): boolean {
    return this.writes.size === 0 && this.removals.size === 0;
  }
}

export interface HistoryChange {
  status: 'A' | 'M' | 'D';
  path: string;
}

export interface HistoryCommit {
  commit: string;
  /** The first parent; null for the first commit. */
  parent: string | null;
  committedAt: string;
  subject: string;
  changes: HistoryChange[];
}

export interface HistoryRange {
  from: string | null;
  to: string;
  commits: HistoryCommit[];
}

export interface TransactionContext {
  /** The fresh state the change is computed from. */
  snapshot: Snapshot;
  changes: Changes;
}

export interface TransactionResult<T> {
  result: T;
  /** The commit now at the head of the contracts branch (ours, or the unchanged head). */
  commit: string | null;
  /** False when the change turned out to be already present: nothing was committed. */
  committed: boolean;
  attempts: number;
}

export interface BranchProposal<T> {
  result: T;
  /** The review branch (pushed only when `committed`). */
  branch: string;
  /** The contracts branch the review branch starts from and merges into. */
  base: string;
  commit: string | null;
  /** False when the change was already present on the contracts branch: no branch was pushed. */
  committed: boolean;
}

/**
 * The contracts repository. Reads come from a fresh fetch; every write is a
 * transaction: fetch → compute the change on the fresh tree → one commit →
 * push; when another writer got there first, the change is computed again on
 * the new head. No working tree is involved, so a killed process leaves
 * nothing half-written behind.
 */
export class ContractsStore {
  private constructor(
    private readonly options: StoreOptions,
    private readonly upstream: Upstream,
    private readonly git: GitRunner,
    private readonly retry: RetryPolicy,
  ) {}

  static async open(options: StoreOptions): Promise<ContractsStore> {
    // An unborn HEAD is pointed at the branch when a fetch finds the branch missing (`fetchHead`), not on every open.
    const upstream = await openUpstream(options.location, options.env).catch(async (error: unknown) => {
      const gone = await vanishedUpstream(options, error);
      if (gone) return gone;
      throw error;
    });
    const cache = await openCache(options.cacheDir, upstream, options.env);
    return new ContractsStore(options, upstream, gitRunner(cache, options.env), {
      ...DEFAULT_RETRY,
      ...options.retry,
    });
  }

  get description(): string {
    return describeLocation(this.options.location);
  }

  get branch(): string {
    return this.options.branch;
  }

  /** The state of the contracts branch: the remote's current one unless `freshness` says otherwise. */
  async snapshot(freshness: Freshness = 'fresh'): Promise<Snapshot> {
    return (await this.read(freshness)).snapshot;
  }

  /** A snapshot and where it came from (the commit, and for an offline read its age). */
  async read(freshness: Freshness = 'fresh'): Promise<{ snapshot: Snapshot; source: SnapshotSource }> {
    if (freshness === 'offline') {
      const last = await this.lastFetch();
      const now = this.options.now?.() ?? new Date();
      const ageSeconds = Math.max(0, Math.round((now.getTime() - Date.parse(last.at)) / 1000));
      return {
        snapshot: new Snapshot(this.git, last.commit, undefined, await this.isPartial()),
        source: { offline: true, commit: last.commit, fetchedAt: last.at, ageSeconds },
      };
    }
    const head = await this.fetchHead({ allowStale: freshness === 'fresh-or-cached' });
    await this.releaseRef(head.ref);
    return {
      snapshot: new Snapshot(this.git, head.commit, undefined, await this.isPartial()),
      source: { offline: false, commit: head.commit },
    };
  }

  /**
   * A snapshot for work that does not decide anything (mocks): at `commit`
   * when the cache has it (`entente record` fetches once and hands its head
   * to the mocks its tests start), else a fetch shared by every caller in
   * this process for `windowMs`, so a test file creating one mock per test
   * reads the repository once. Falls back to the cache, with a warning, when
   * the remote cannot be reached.
   */
  async sharedSnapshot(options: { commit?: string; windowMs: number }): Promise<Snapshot> {
    if (options.commit && /^[0-9a-f]{40}$/.test(options.commit)) {
      const partial = await this.isPartial();
      // Asked about a commit it lacks, a partial clone's git fetches it by itself, with every folder of it.
      const lacking = partial && (await missingObjects(this.git.dir, [options.commit]))?.length !== 0;
      if (!lacking && (await catFileFor(this.git).hasCommit(options.commit)))
        return new Snapshot(this.git, options.commit, undefined, partial);
    }
    const key = `${this.upstream.target}\0${this.options.branch}`;
    const recent = sharedFetches.get(key);
    if (recent && Date.now() - recent.at < options.windowMs) return recent.snapshot;
    const snapshot = this.snapshot('fresh-or-cached');
    sharedFetches.set(key, { at: Date.now(), snapshot });
    snapshot.catch(() => sharedFetches.delete(key));
    return snapshot;
  }

  /** The repository at `commit` (a commit of the contracts branch's history, see `history`). */
  snapshotAt(commit: string | null): Snapshot {
    return new Snapshot(this.git, commit);
  }

  /**
   * The commits of `from..to` on the contracts branch, oldest first, each with
   * the files it added, modified or deleted (against its first parent).
   * Revisions are commit ids or `HEAD` (the fetched head of the contracts
   * branch), optionally followed by `~N` or `^`; `to` defaults to `HEAD`. An
   * all-zero `from` (a CI's "no previous commit") means from the beginning.
   */
  async history(from: string, to = 'HEAD'): Promise<HistoryRange> {
    const head = await this.fetchHead({ allowStale: true });
    try {
      const resolve = async (revision: string, flag: string): Promise<string | null> => {
        if (/^0{7,64}$/.test(revision)) return null;
        if (!/^(?:[0-9a-f]{4,64}|HEAD)(?:~\d{1,6}|\^)*$/.test(revision)) {
          throw new InputError(
            'input.revision',
            `${flag}: ${JSON.stringify(revision)} is not a commit id or HEAD (optionally followed by ~N or ^)`,
          );
        }
        if (revision.startsWith('HEAD') && !head.commit) {
          throw new InputError('input.revision', `${flag}: the contracts repository has no commit yet`);
        }
        const spec = revision.startsWith('HEAD') ? `${head.commit}${revision.slice(4)}` : revision;
        const resolved = await this.git.attempt(['rev-parse', '--verify', '--quiet', `${spec}^{commit}`]);
        if (!resolved.ok) {
          throw new InputError(
            'input.revision',
            `${flag}: ${revision} is not a commit of ${this.upstream.describe} (${this.options.branch} fetched)`,
          );
        }
        return resolved.output.trim();
      };
      const [start, end] = [await resolve(from, 'from'), await resolve(to, 'to')];
      if (!end) throw new InputError('input.revision', 'to: a range must end at a commit');
      // `git log` with no diff options reads commits only (`git show -s` still diffs each commit against its parent).
      const commits: HistoryCommit[] = (
        await this.git.run([
          'log',
          '--reverse',
          '--first-parent',
          '--no-show-signature',
          '--format=%H%x00%P%x00%cI%x00%s',
          start ? `${start}..${end}` : end,
        ])
      )
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const [commit = '', parents = '', committedAt = '', subject = ''] = line.split('\0');
          return { commit, parent: parents.split(' ')[0] || null, committedAt, subject, changes: [] };
        });
      await this.fetchComparedTrees(commits);
      for (const { commit, parent, changes } of commits) {
        const fields = (
          await this.git.run([
            'diff-tree',
            '-r',
            '--no-renames',
            '--name-status',
            '-z',
            ...(parent ? [parent, commit] : ['--root', commit]),
          ])
        )
          .split('\0')
          .filter(Boolean);
        for (let i = fields[0] === commit ? 1 : 0; i + 1 < fields.length; i += 2) {
          const status = fields[i]!.charAt(0);
          if (status === 'A' || status === 'M' || status === 'D')
            changes.push({ status, path: fields[i + 1]! });
        }
      }
      return { from: start, to: end, commits };
    } finally {
      await this.releaseRef(head.ref);
    }
  }

  /**
   * In a partial clone, fetches the trees `diff-tree` compares between each
   * commit and its parent (the folders whose trees differ, down to the files)
   * a depth at a time for all the commits together, before it runs: asked
   * for a missing tree, git would fetch it by itself, one process per tree.
   */
  private async fetchComparedTrees(commits: { commit: string; parent: string | null }[]): Promise<void> {
    if (!(await this.isPartial())) return;
    const catFile = catFileFor(this.git);
    let pairs = await Promise.all(
      commits.map(async ({ commit, parent }) => [
        parent ? await catFile.rootTree(parent) : undefined,
        await catFile.rootTree(commit),
      ]),
    );
    while (pairs.length > 0) {
      const changed = pairs.filter(([before, after]) => before !== after);
      const ids = changed.flat().filter((oid): oid is string => oid !== undefined);
      const trees = await catFile.treeObjects([...new Set(ids)], true);
      const folders = (oid: string | undefined) =>
        new Map(
          (oid ? (trees.get(oid) ?? []) : []).filter((e) => e.type === 'tree').map((e) => [e.name, e.oid]),
        );
      pairs = changed.flatMap(([before, after]) => {
        const [old, now] = [folders(before), folders(after)];
        return [...new Set([...old.keys(), ...now.keys()])].map((name) => [old.get(name), now.get(name)]);
      });
    }
  }

  async transact<T>(
    message: string | ((result: T) => string),
    apply: (context: TransactionContext) => Promise<T>,
  ): Promise<TransactionResult<T>> {
    for (let attempt = 1; ; attempt++) {
      const head = await this.fetchHead({ allowStale: false });
      const session = new Session(this.git);
      try {
        const changes = new Changes();
        const snapshot = await this.transactionSnapshot(head.commit, changes, session);
        const result = await apply({ snapshot, changes });
        if (changes.empty) return { result, commit: head.commit, committed: false, attempts: attempt };
        const commit = await this.buildCommit(
          session,
          head,
          changes,
          typeof message === 'string' ? message : message(result),
        );
        if (!commit) return { result, commit: head.commit, committed: false, attempts: attempt };
        await this.options.beforePush?.();
        const outcome = await this.push(commit);
        if (outcome === 'pushed') return { result, commit, committed: true, attempts: attempt };
        if (attempt >= this.retry.maxAttempts) {
          throw new GitError(
            'git.contention',
            `gave up after ${attempt} attempts: other writers kept updating ${this.upstream.describe} first`,
          );
        }
        await sleep(backoff(attempt, this.retry));
      } finally {
        session.close();
        await this.releaseRef(head.ref);
      }
    }
  }

  /**
   * A transaction for review: the change is computed on the fresh head of the
   * contracts branch, committed on top of it, and pushed to a new branch
   * (never to the contracts branch), so a pull request can carry it. The new
   * branch must not exist yet: the push refuses to replace one. `name` gives
   * the branch, the commit message and push options (GitLab's
   * `merge_request.*`) from what `apply` returned.
   */
  async proposeOnBranch<T>(
    name: (result: T) => { branch: string; message: string; pushOptions?: string[] },
    apply: (context: TransactionContext) => Promise<T>,
  ): Promise<BranchProposal<T>> {
    const head = await this.fetchHead({ allowStale: false });
    const session = new Session(this.git);
    try {
      const changes = new Changes();
      const result = await apply({
        snapshot: await this.transactionSnapshot(head.commit, changes, session),
        changes,
      });
      const { branch, message, pushOptions = [] } = name(result);
      assertReviewBranch(branch);
      const commit = changes.empty ? null : await this.buildCommit(session, head, changes, message);
      if (!commit) return { result, branch, base: this.options.branch, commit: null, committed: false };
      await this.options.beforePush?.();
      const outcome = await this.git.attempt(
        [
          '-c',
          'pack.useSparse=true',
          'push',
          '--porcelain',
          ...pushOptions.flatMap((option) => ['--push-option', option]),
          ...this.upstream.pushArgs,
          `--force-with-lease=refs/heads/${branch}:`,
          this.upstream.target,
          `${commit}:refs/heads/${branch}`,
        ],
        { allowPackProgram: this.upstream.pushArgs.length > 0 },
      );
      if (!outcome.ok) {
        if (/stale info|already exists/i.test(outcome.output)) {
          throw new GitError(
            'git.branch-exists',
            `branch ${branch} already exists in ${this.upstream.describe}: merge or delete it (an earlier review?), or name another branch`,
          );
        }
        throw new GitError(
          'git.push',
          `could not push branch ${branch} to ${this.upstream.describe}: ${redactShapes(outcome.output.trim())}`,
        );
      }
      return { result, branch, base: this.options.branch, commit, committed: true };
    } finally {
      session.close();
      await this.releaseRef(head.ref);
    }
  }

  private async fetchHead(
    options: { allowStale: boolean },
    rebuilt = false,
  ): Promise<{ commit: string | null; ref: string }> {
    const ref = `refs/entente/tx/${process.pid}-${randomBytes(6).toString('hex')}`;
    const fetched = await this.fetchBranch(ref);
    if (!fetched.ok) {
      if (/couldn't find remote ref/i.test(fetched.output)) {
        if (this.options.location.kind !== 'url') {
          await pointUnbornHeadAt(this.upstream.target, this.options.env, this.options.branch);
        }
        await this.rememberFetch(null);
        return { commit: null, ref };
      }
      if (!rebuilt && (await this.remoteAnswers())) {
        // The remote answers, so the fault is in the cache: start it again and fetch once more.
        await this.rebuildCache(firstLine(fetched.output));
        return this.fetchHead(options, true);
      }
      // This branch's own last fetch: `refs/entente/last` is whichever branch the cache fetched last.
      const last = options.allowStale ? await this.lastFetch().catch(() => undefined) : undefined;
      if (last) {
        this.options.warn?.(
          `could not fetch ${this.upstream.describe}; reading the copy from the last successful fetch (${redactShapes(firstLine(fetched.output))})`,
        );
        return { commit: last.commit, ref };
      }
      throw new GitError('git.fetch', `could not fetch ${this.upstream.describe}: ${fetched.output.trim()}`);
    }
    const commit = fetched.commit ?? (await this.git.run(['rev-parse', '--verify', ref])).trim();
    await this.rememberFetch(commit);
    await this.consolidatePacks();
    return { commit, ref };
  }

  /**
   * A long-lived cache (a developer's, a mock's) gathers a pack per large
   * fetch or write and loose objects from small ones (git unpacks fewer than
   * 100 objects), and every lookup goes through all of them. Past `maxPacks`
   * packs or about 6,700 loose objects (counted as git counts them: the
   * files in `objects/17`, times 256), one `git gc` puts them into one pack
   * (tens of milliseconds on the bench's 15,000-commit repository). gc takes
   * its own lock: a process that finds another one at it leaves it be. No
   * bitmap (a partial clone's pack has no full closure) and no commit-graph;
   * the fetched ref keeps this read's commit, and what gc prunes is only
   * loose, unreachable and two weeks old. Git's own automatic gc stays off in
   * the cache: it costs a process after every fetch.
   */
  private async consolidatePacks(): Promise<void> {
    const objects = join(this.git.dir, 'objects');
    const files = (dir: string) => readdir(join(objects, dir)).catch(() => [] as string[]);
    const packs = (await files('pack')).filter((name) => name.endsWith('.pack')).length;
    const loose = (await files('17')).length * 256;
    if (packs <= (this.options.maxPacks ?? MAX_PACKS) && loose <= MAX_LOOSE_OBJECTS) return;
    await this.git.attempt([
      '-c',
      'gc.auto=0',
      '-c',
      'repack.writeBitmaps=false',
      '-c',
      'gc.writeCommitGraph=false',
      'gc',
      '--quiet',
    ]);
    forgetPackIndexes(this.git.dir);
  }

  /**
   * Fetches the newest commit of the contracts branch into `ref`, with no
   * history beyond what the cache already had and no file contents (Snapshot
   * fetches the files it reads). An empty cache fetches the commit and its
   * root folder (`--depth=1 --filter=tree:1`, as cheap as the commit alone):
   * reads fetch the other trees they walk, a depth at a time, so a cold read
   * costs the same however large the tree has grown. A warm cache fetches
   * the new commits with their trees (`--filter=blob:none`): the remote sends only the trees that changed, in
   * the same request, where a shallow fetch would resend the whole tree and
   * a `tree:0` one would leave each changed folder to a request of its own.
   * A remote that serves filters but not `tree:<depth>` (`uploadpackfilter.tree.allow`
   * off) gets the `blob:none` fetch. The same fetch moves
   * `refs/entente/last`, which keeps the next fetch's negotiation short; when
   * a concurrent process holds that ref's lock, only that update is lost.
   * Concurrent processes sharing the cache can collide on its shallow lock;
   * that is retried, not reported. `commit` is the fetched commit when it
   * could be read without starting git.
   */
  private async fetchBranch(ref: string): Promise<{ ok: boolean; output: string; commit?: string }> {
    let filters = (await this.hasFetched()) ? ['--filter=blob:none'] : ['--depth=1', '--filter=tree:1'];
    for (let attempt = 1; ; attempt++) {
      const fetched = await this.git.attempt([
        ...CACHE_FETCH,
        ...filters,
        CACHE_REMOTE,
        `+refs/heads/${this.options.branch}:${ref}`,
        `+refs/heads/${this.options.branch}:refs/entente/last`,
      ]);
      if (!fetched.ok && filters.includes('--filter=tree:1') && TREE_FILTER_REFUSED.test(fetched.output)) {
        filters = ['--depth=1', '--filter=blob:none'];
        continue;
      }
      const locked = [...fetched.output.matchAll(/cannot lock ref '([^']+)'/g)].map((match) => match[1]);
      const onlyLastFailed =
        !fetched.ok &&
        locked.length > 0 &&
        locked.every((name) => name === 'refs/entente/last') &&
        !/^fatal:/m.test(fetched.output);
      if (fetched.ok || onlyLastFailed) {
        const commit = await readLooseRef(this.git.dir, ref);
        if (commit || fetched.ok) return { ok: true, output: fetched.output, ...(commit ? { commit } : {}) };
      }
      if (!LOCK_CONTENTION.test(fetched.output) || attempt >= 20) return fetched;
      await sleep(backoff(attempt, { maxAttempts: 20, baseDelayMs: 10, maxDelayMs: 200 }));
    }
  }

  /** Whether the cache holds a fetched commit (read from files: no git process). */
  private async hasFetched(): Promise<boolean> {
    const present = (path: string) =>
      stat(path).then(
        () => true,
        () => false,
      );
    return (
      (await present(this.lastFetchFile)) || (await present(join(this.git.dir, 'refs', 'entente', 'last')))
    );
  }

  /**
   * Removes a transaction's ref. It was written as a loose ref file by this
   * process (fetch, fast-import) and no other process knows its name, so
   * removing the file is what `update-ref -d` would do, without a process;
   * a ref stored any other way (packed, reftable) goes through git.
   */
  private async releaseRef(ref: string): Promise<void> {
    const removed = await rm(join(this.git.dir, ref)).then(
      () => true,
      () => false,
    );
    if (removed) {
      await rm(join(this.git.dir, 'logs', ref), { force: true });
      return;
    }
    const packed = await readFile(join(this.git.dir, 'packed-refs'), 'utf8').catch(() => '');
    const reftable = await stat(join(this.git.dir, 'reftable')).then(
      () => true,
      () => false,
    );
    if (reftable || packed.includes(` ${ref}\n`)) await this.git.attempt(['update-ref', '-d', ref]);
  }

  /** Whether a fetch ever left file contents behind: git marks what a filtered fetch brought with a `.promisor` file. */
  private async isPartial(): Promise<boolean> {
    const packs = await readdir(join(this.git.dir, 'objects', 'pack')).catch(() => []);
    return packs.some((name) => name.endsWith('.promisor'));
  }

  /** Whether the remote lists its branches (checked outside the cache, so a broken cache cannot spoil it). */
  private async remoteAnswers(): Promise<boolean> {
    const probe = await gitRunner(this.options.cacheDir, this.options.env).attempt([
      'ls-remote',
      '--heads',
      this.upstream.target,
    ]);
    return probe.ok;
  }

  /** Replaces an unusable cache repository by a new one (moved aside first: other processes may be reading it). */
  private async rebuildCache(reason: string): Promise<void> {
    const dir = this.git.dir;
    closeCatFile(this.git);
    forgetPackIndexes(dir);
    await removeCache(dir);
    await openCache(this.options.cacheDir, this.upstream, this.options.env);
    this.options.warn?.(
      `the cache ${dir} could not be used (${reason}); rebuilt it from ${this.upstream.describe}`,
    );
  }

  private get lastFetchFile(): string {
    return join(this.git.dir, `entente-last-fetch-${encodeURIComponent(this.options.branch)}.json`);
  }

  /** Notes which commit the branch was at and when, for offline reads (written atomically). */
  private async rememberFetch(commit: string | null): Promise<void> {
    const temp = `${this.lastFetchFile}.${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      await writeFile(temp, JSON.stringify({ commit, at: new Date().toISOString() }));
      await rename(temp, this.lastFetchFile);
    } catch {
      // Only offline reads need it; they say so when it is missing.
      await rm(temp, { force: true });
    }
  }

  private async lastFetch(): Promise<{ commit: string | null; at: string }> {
    const text = await readFile(this.lastFetchFile, 'utf8').catch(() => undefined);
    let last: { commit?: unknown; at?: unknown } | undefined;
    try {
      last = text === undefined ? undefined : JSON.parse(text);
    } catch {
      last = undefined;
    }
    const commit = last?.commit;
    const at = last?.at;
    const valid =
      typeof at === 'string' &&
      !Number.isNaN(Date.parse(at)) &&
      (commit === null || (typeof commit === 'string' && /^[0-9a-f]{40,64}$/.test(commit)));
    if (!valid) {
      throw new GitError(
        'git.offline-no-copy',
        `--offline: the cache ${this.git.dir} holds no fetched copy of branch ${this.options.branch} of ${this.upstream.describe}; run once without --offline while the remote can be reached`,
      );
    }
    if (commit !== null) {
      if (!(await catFileFor(this.git).hasCommit(commit))) {
        throw new GitError(
          'git.offline-no-copy',
          `--offline: the cache ${this.git.dir} no longer holds commit ${commit} of ${this.upstream.describe}; run once without --offline while the remote can be reached`,
        );
      }
    }
    return { commit: commit as string | null, at: at as string };
  }

  /** A snapshot whose reads and listings go through the transaction's fast-import process. */
  private async transactionSnapshot(
    commit: string | null,
    changes: Changes,
    session: Session,
  ): Promise<Snapshot> {
    const partial = await this.isPartial();
    return new Snapshot(
      this.git,
      commit,
      changes,
      partial,
      sessionReader(this.git, session.get, partial),
      sessionTrees(this.git, session.get, partial),
    );
  }

  /**
   * Writes the changed files and one commit on top of `head` (left at the
   * transaction's ref); null when every change was already there.
   */
  private async buildCommit(
    session: Session,
    head: { commit: string | null; ref: string },
    changes: Changes,
    message: string,
  ): Promise<string | null> {
    const { author, committer } = await this.identity();
    const fastImport = session.get();
    if (head.commit && (await this.isPartial())) {
      // The commit rewrites the trees on the changed paths: a partial clone fetches those it lacks first.
      await fastImport.ls(head.commit, [...changes.writes.keys(), ...changes.removals], true);
    }
    const commit = await fastImport.commit({
      ref: head.ref,
      parent: head.commit,
      message,
      author,
      committer,
      writes: changes.writes,
      removals: changes.removals,
    });
    // The pack and the ref are written when fast-import ends; the push reads them.
    await fastImport.finish();
    return commit;
  }

  private identityCache?: Promise<{ name: string; zone: string; fixedDate?: string; author: string }>;

  /**
   * The author and committer lines of a commit: the user's git identity when
   * configured (`git var GIT_COMMITTER_IDENT`, once per process; the author
   * takes GIT_AUTHOR_NAME and GIT_AUTHOR_EMAIL when set), else entente's own.
   */
  private async identity(): Promise<{ author: string; committer: string }> {
    this.identityCache ??= this.git.attempt(['var', 'GIT_COMMITTER_IDENT']).then((probe) => {
      const parsed = probe.ok ? /^(.*<[^>]*>) (\d+ [+-]\d{4})$/.exec(probe.output.trim()) : null;
      if (!parsed) {
        const name = 'entente <entente@localhost>';
        return { name, zone: '+0000', author: name };
      }
      const [, name = '', date = ''] = parsed;
      const env = this.options.env;
      const authorName = env.GIT_AUTHOR_NAME ?? /^(.*) </.exec(name)?.[1] ?? '';
      const authorEmail = env.GIT_AUTHOR_EMAIL ?? /<([^>]*)>$/.exec(name)?.[1] ?? '';
      return {
        name,
        zone: date.split(' ')[1] ?? '+0000',
        ...(env.GIT_COMMITTER_DATE ? { fixedDate: date } : {}),
        author: `${authorName} <${authorEmail}>`,
      };
    });
    const identity = await this.identityCache;
    const date = identity.fixedDate ?? `${Math.floor(Date.now() / 1000)} ${identity.zone}`;
    return { author: `${identity.author} ${date}`, committer: `${identity.name} ${date}` };
  }

  private async push(commit: string): Promise<'pushed' | 'rejected'> {
    const push = () =>
      this.git.attempt(
        [
          // Only the trees on changed paths are compared (git's default since 2.27): a partial clone lacks the others.
          '-c',
          'pack.useSparse=true',
          'push',
          '--porcelain',
          ...this.upstream.pushArgs,
          this.upstream.target,
          `${commit}:refs/heads/${this.options.branch}`,
        ],
        { allowPackProgram: this.upstream.pushArgs.length > 0 },
      );
    if (!this.upstream.checkout) return this.judgePush(await push());
    const { checkout } = this.upstream;
    return withPushLock(join(checkout, '.git', 'entente-push.lock'), 60_000, async () => {
      const outcome = await push();
      if (!outcome.ok && this.options.location.kind === 'default' && DIRTY_CHECKOUT.test(outcome.output)) {
        // entente owns the default repository's files: put them back at its head and push again.
        await gitRunner(checkout, this.options.env).run(['reset', '--quiet', '--hard', 'HEAD']);
        this.options.warn?.(
          `restored the files of ${checkout} to its last commit (an earlier write was interrupted)`,
        );
        return 'rejected';
      }
      return this.judgePush(outcome);
    });
  }

  private judgePush(outcome: { ok: boolean; output: string }): 'pushed' | 'rejected' {
    if (outcome.ok) return 'pushed';
    if (RETRYABLE_REJECTION.test(outcome.output)) return 'rejected';
    throw new GitError(
      'git.push',
      `could not push to ${this.upstream.describe}: ${redactShapes(outcome.output.trim())}`,
    );
  }
}

/** A transaction's fast-import process, started when the transaction first reads or writes. */
class Session {
  private started?: FastImport;

  constructor(private readonly git: GitRunner) {}

  readonly get = (): FastImport => {
    this.started ??= FastImport.start(this.git);
    return this.started;
  };

  close(): void {
    this.started?.close();
  }
}

/** A loose ref's commit, read from its file (undefined when it is not a loose ref). */
async function readLooseRef(gitDir: string, ref: string): Promise<string | undefined> {
  const text = await readFile(join(gitDir, ref), 'utf8').catch(() => undefined);
  const oid = text?.trim();
  return oid && /^[0-9a-f]{40,64}$/.test(oid) ? oid : undefined;
}

/** Recent fetches for `sharedSnapshot`, by upstream and branch. */
const sharedFetches = new Map<string, { at: number; snapshot: Promise<Snapshot> }>();

/**
 * A remote that serves `blob:none` but was configured not to serve `tree:<depth>`
 * filters (`uploadpackfilter.tree.allow=false`), or not as deep as the root
 * folder (`uploadpackfilter.tree.maxDepth=0`).
 */
const TREE_FILTER_REFUSED = /filter '?tree'? not supported|tree filter allows max depth/i;

/** Another git process holds a lock in the shared cache (shallow file, a ref): worth trying again. */
const LOCK_CONTENTION = /shallow\.lock|Unable to create '.*\.lock'|cannot lock ref|File exists/i;

/**
 * A repository path that no longer exists but was fetched before (a cache of
 * it is there) is an unreachable remote, not a typo: reads fail with exit 4
 * unless offline, which answers from that cache.
 */
async function vanishedUpstream(options: StoreOptions, error: unknown): Promise<Upstream | undefined> {
  if (options.location.kind !== 'path') return undefined;
  if (!(error instanceof InputError) || error.code !== 'input.contracts-missing') return undefined;
  const target = resolve(options.location.path);
  const cached = await stat(join(cachePath(options.cacheDir, { target }), 'HEAD')).catch(() => undefined);
  return cached ? { target, describe: target, pushArgs: [] } : undefined;
}

/** A push into a checked-out branch refused because the files there differ from its head. */
const DIRTY_CHECKOUT =
  /Working directory has (?:un)?staged changes|would be overwritten|could not update working tree/i;

/** Rejections that mean "someone else pushed first": the transaction is computed again on the new head. */
const RETRYABLE_REJECTION =
  /\[rejected\]|fetch first|non-fast-forward|failed to update ref|cannot lock ref|failed to lock|incorrect old value|stale info|reference already exists/i;

function backoff(attempt: number, policy: RetryPolicy): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(attempt, 10));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}

/** A review branch name reaches git as a ref: plain segments of letters, digits, `.`, `_`, `-`. */
function assertReviewBranch(branch: string): void {
  const segments = branch.split('/');
  const bad = segments.some(
    (s) =>
      !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(s) || s.includes('..') || s.endsWith('.lock') || s.endsWith('.'),
  );
  if (bad || branch.length > 200) {
    throw new InputError('input.branch-name', `${JSON.stringify(branch)} is not a valid review branch name`, {
      details: [
        {
          where: '--branch',
          message: 'expected segments of letters, digits, ".", "_" or "-", joined by "/"',
        },
      ],
    });
  }
}

function assertRepoPath(path: string): void {
  const segments = path.split('/');
  if (path.startsWith('/') || segments.some((s) => s === '' || s === '.' || s === '..' || s === '.git')) {
    throw new GitError(
      'store.path',
      `refusing to write outside the contracts repository: ${JSON.stringify(path)}`,
    );
  }
}
