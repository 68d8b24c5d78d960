import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Static, TSchema } from '@sinclair/typebox';
import { GitError, InputError } from '../errors.js';
import { checkRecord } from '../model/validate.js';
import { prettyJson } from '../util/canonical-json.js';
import { type GitEnv, type GitRunner, gitRunner } from './git.js';
import {
  type ContractsLocation,
  describeLocation,
  openCache,
  openUpstream,
  type Upstream,
} from './location.js';
import { Snapshot } from './snapshot.js';

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
    const upstream = await openUpstream(options.location, options.env);
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

  /** The current state of the contracts branch. */
  async snapshot(): Promise<Snapshot> {
    const head = await this.fetchHead({ allowStale: true });
    return new Snapshot(this.git, head.commit);
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
      const ids = (
        await this.git.run(['rev-list', '--reverse', '--first-parent', start ? `${start}..${end}` : end])
      )
        .split('\n')
        .filter(Boolean);
      const commits: HistoryCommit[] = [];
      for (const commit of ids) {
        const [parents = '', committedAt = '', subject = ''] = (
          await this.git.run(['show', '-s', '--format=%P%x00%cI%x00%s', commit])
        )
          .replace(/\n$/, '')
          .split('\0');
        const parent = parents.split(' ')[0] || null;
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
        const changes: HistoryChange[] = [];
        for (let i = fields[0] === commit ? 1 : 0; i + 1 < fields.length; i += 2) {
          const status = fields[i]!.charAt(0);
          if (status === 'A' || status === 'M' || status === 'D')
            changes.push({ status, path: fields[i + 1]! });
        }
        commits.push({ commit, parent, committedAt, subject, changes });
      }
      return { from: start, to: end, commits };
    } finally {
      await this.git.attempt(['update-ref', '-d', head.ref]);
    }
  }

  async transact<T>(
    message: string | ((result: T) => string),
    apply: (context: TransactionContext) => Promise<T>,
  ): Promise<TransactionResult<T>> {
    for (let attempt = 1; ; attempt++) {
      const head = await this.fetchHead({ allowStale: false });
      try {
        const changes = new Changes();
        const snapshot = new Snapshot(this.git, head.commit, changes);
        const result = await apply({ snapshot, changes });
        if (changes.empty) return { result, commit: head.commit, committed: false, attempts: attempt };
        const commit = await this.buildCommit(
          head.commit,
          changes,
          typeof message === 'string' ? message : message(result),
        );
        if (!commit) return { result, commit: head.commit, committed: false, attempts: attempt };
        await this.options.beforePush?.();
        const outcome = await this.push(commit);
        if (outcome === 'pushed') {
          await this.git.attempt(['update-ref', 'refs/entente/last', commit]);
          return { result, commit, committed: true, attempts: attempt };
        }
        if (attempt >= this.retry.maxAttempts) {
          throw new GitError(
            'git.contention',
            `gave up after ${attempt} attempts: other writers kept updating ${this.upstream.describe} first`,
          );
        }
        await sleep(backoff(attempt, this.retry));
      } finally {
        await this.git.attempt(['update-ref', '-d', head.ref]);
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
    try {
      const changes = new Changes();
      const result = await apply({ snapshot: new Snapshot(this.git, head.commit, changes), changes });
      const { branch, message, pushOptions = [] } = name(result);
      assertReviewBranch(branch);
      const commit = changes.empty ? null : await this.buildCommit(head.commit, changes, message);
      if (!commit) return { result, branch, base: this.options.branch, commit: null, committed: false };
      await this.options.beforePush?.();
      const outcome = await this.git.attempt([
        'push',
        '--porcelain',
        ...pushOptions.flatMap((option) => ['--push-option', option]),
        ...this.upstream.pushArgs,
        `--force-with-lease=refs/heads/${branch}:`,
        this.upstream.target,
        `${commit}:refs/heads/${branch}`,
      ]);
      if (!outcome.ok) {
        if (/stale info|already exists/i.test(outcome.output)) {
          throw new GitError(
            'git.branch-exists',
            `branch ${branch} already exists in ${this.upstream.describe}: merge or delete it (an earlier review?), or name another branch`,
          );
        }
        throw new GitError(
          'git.push',
          `could not push branch ${branch} to ${this.upstream.describe}: ${outcome.output.trim()}`,
        );
      }
      return { result, branch, base: this.options.branch, commit, committed: true };
    } finally {
      await this.git.attempt(['update-ref', '-d', head.ref]);
    }
  }

  private async fetchHead(options: { allowStale: boolean }): Promise<{ commit: string | null; ref: string }> {
    const ref = `refs/entente/tx/${process.pid}-${randomBytes(6).toString('hex')}`;
    const fetched = await this.git.attempt([
      '-c',
      'gc.auto=0',
      'fetch',
      '--quiet',
      '--no-tags',
      '--no-write-fetch-head',
      '--no-recurse-submodules',
      this.upstream.target,
      `+refs/heads/${this.options.branch}:${ref}`,
    ]);
    if (!fetched.ok) {
      if (/couldn't find remote ref/i.test(fetched.output)) return { commit: null, ref };
      const last = options.allowStale
        ? await this.git.attempt(['rev-parse', '--verify', '--quiet', 'refs/entente/last'])
        : undefined;
      if (last?.ok) {
        this.options.warn?.(
          `could not fetch ${this.upstream.describe}; reading the copy from the last successful fetch (${firstLine(fetched.output)})`,
        );
        return { commit: last.output.trim(), ref };
      }
      throw new GitError('git.fetch', `could not fetch ${this.upstream.describe}: ${fetched.output.trim()}`);
    }
    const commit = (await this.git.run(['rev-parse', '--verify', ref])).trim();
    // Keeps negotiation cheap for the next fetch; losing this race to a concurrent process is harmless.
    await this.git.attempt(['update-ref', 'refs/entente/last', commit]);
    return { commit, ref };
  }

  /** Writes blobs, a tree and one commit on top of `parent`; null when the tree did not change. */
  private async buildCommit(
    parent: string | null,
    changes: Changes,
    message: string,
  ): Promise<string | null> {
    const work = await mkdtemp(join(tmpdir(), 'entente-tx-'));
    try {
      const index = { GIT_INDEX_FILE: join(work, 'index') };
      const files = [...changes.writes];
      await Promise.all(files.map(([, text], i) => writeFile(join(work, `blob-${i}`), text)));
      const blobs = files.length
        ? (
            await this.git.run(['hash-object', '-w', '--stdin-paths'], {
              input: `${files.map((_, i) => join(work, `blob-${i}`)).join('\n')}\n`,
            })
          )
            .trim()
            .split('\n')
        : [];
      await this.git.run(parent ? ['read-tree', parent] : ['read-tree', '--empty'], { env: index });
      const lines = [
        ...files.map(([path], i) => `100644 ${blobs[i]}\t${path}`),
        ...[...changes.removals].map((path) => `0 ${'0'.repeat(40)}\t${path}`),
      ];
      await this.git.run(['update-index', '--index-info'], { input: `${lines.join('\n')}\n`, env: index });
      const tree = (await this.git.run(['write-tree'], { env: index })).trim();
      if (parent) {
        const parentTree = (await this.git.run(['rev-parse', `${parent}^{tree}`])).trim();
        if (parentTree === tree) return null;
      }
      const identity = await this.identity();
      const args = ['commit-tree', tree, '-m', message, ...(parent ? ['-p', parent] : [])];
      return (await this.git.run(args, { env: identity })).trim();
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }

  private identityCache?: Promise<GitEnv>;

  /** The user's git identity when configured, else entente's own. */
  private identity(): Promise<GitEnv> {
    this.identityCache ??= this.git.attempt(['var', 'GIT_COMMITTER_IDENT']).then((probe) =>
      probe.ok
        ? {}
        : {
            GIT_AUTHOR_NAME: 'entente',
            GIT_AUTHOR_EMAIL: 'entente@localhost',
            GIT_COMMITTER_NAME: 'entente',
            GIT_COMMITTER_EMAIL: 'entente@localhost',
          },
    );
    return this.identityCache;
  }

  private async push(commit: string): Promise<'pushed' | 'rejected'> {
    const outcome = await this.git.attempt([
      'push',
      '--porcelain',
      ...this.upstream.pushArgs,
      this.upstream.target,
      `${commit}:refs/heads/${this.options.branch}`,
    ]);
    if (outcome.ok) return 'pushed';
    if (RETRYABLE_REJECTION.test(outcome.output)) return 'rejected';
    throw new GitError('git.push', `could not push to ${this.upstream.describe}: ${outcome.output.trim()}`);
  }
}

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
