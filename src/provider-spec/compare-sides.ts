/**
 * The I/O edge of `entente diff`: each side read from where it lives (a file,
 * a git ref of the project, the contracts repository), the consumer contracts
 * read, then the pure check.
 */
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ConfigError, GitError, InputError, IoError, RecordError } from '../errors.js';
import { parseDiffIgnore } from '../openapi/diff/ignore.js';
import { gitrefFilePath, type LoadedSide, parseDiffSide } from '../openapi/diff/sides.js';
import { checkSpecChange, type SpecChangeInput, type SpecChangeReport } from '../openapi/diff/spec-change.js';
import { loadSpec } from '../openapi/load.js';
import type { GitEnv } from '../store/git.js';
import { mainBranchesOf, readPolicy } from '../store/policy.js';
import { openProjectRef } from '../store/project-git.js';
import type { Snapshot } from '../store/snapshot.js';
import { parseJsonOrYaml } from '../util/parse.js';
import { readConsumerContracts } from './consumer-contracts.js';
import type { LoadWorkerData, LoadWorkerMessage } from './load-worker.js';
import { readProviderSpec } from './read.js';

export interface LoadSideOptions {
  /** The folder file and `./` gitref paths are relative to. */
  cwd: string;
  /** The environment git runs with. */
  env: GitEnv;
  /** The contracts repository, opened only when a side is `service@version`. */
  snapshot: () => Promise<Snapshot>;
  allowRemoteRefs?: boolean;
  /** Refuse a file or git-ref side that is not valid OpenAPI (default: compare it, its errors listed as warnings). */
  strict?: boolean;
}

/**
 * Reads one side: files and git refs are bundled and validated like
 * `publish-spec` does (a git ref's relative `$ref`s are read at the same
 * ref), except that validation errors are warnings unless `strict`;
 * `service@version` is the stored, already bundled spec.
 */
export async function loadDiffSide(argument: string, options: LoadSideOptions): Promise<LoadedSide> {
  const side = parseDiffSide(argument, (path) => existsSync(resolve(options.cwd, path)));
  const loadOptions = loadOptionsOf(options);
  switch (side.kind) {
    case 'file': {
      const loaded = await loadSpec(resolve(options.cwd, side.path), loadOptions);
      return { label: argument, side, document: loaded.document, warnings: loaded.warnings };
    }
    case 'gitref': {
      const project = await openProjectRef(options.cwd, options.env, side.ref);
      const { absolute } = await gitrefFilePath(project.root, options.cwd, side);
      const loaded = await loadSpec(absolute, {
        ...loadOptions,
        readLocalFile: async (path) => {
          const { inRepository } = await gitrefFilePath(project.root, project.root, { ref: side.ref, path });
          const text = await project.readFile(inRepository);
          if (text === undefined) {
            throw new InputError(
              'input.file-missing',
              `${side.ref}:${inRepository}: no such file at ${side.ref}`,
              {
                details: [{ where: `${side.ref}:${inRepository}`, message: `no such file at ${side.ref}` }],
              },
            );
          }
          return text;
        },
      });
      return { label: argument, side, document: loaded.document, warnings: loaded.warnings };
    }
    case 'repo': {
      const snapshot = await options.snapshot();
      const mainBranches = mainBranchesOf(await readPolicy(snapshot));
      const spec = await readProviderSpec(snapshot, side.service, side.version, mainBranches);
      return {
        label: `${spec.provider}@${spec.version}`,
        side,
        document: spec.document,
        warnings: [],
        provider: { service: spec.provider, version: spec.version },
      };
    }
  }
}

export interface CompareSidesOptions extends LoadSideOptions {
  /** Whose consumer contracts to check; default: the service of a `service@version` side. */
  provider?: string;
  /** An ignore file of accepted changes (relative to `cwd`): `ignore: [{ rule, operation, path, reason }]`. */
  ignoreFile?: string;
  /** Told each step of the work (for a progress line on a terminal). */
  onProgress?: (step: string) => void;
}

/**
 * `entente diff <base> <revision>`: both sides read, compared by the generic
 * rules, and, when the provider is known, checked against its consumer
 * contracts (deployed and latest main-branch consumer versions).
 */
export async function compareSpecSides(
  baseArgument: string,
  revisionArgument: string,
  options: CompareSidesOptions,
): Promise<SpecChangeReport> {
  let snapshot: Promise<Snapshot> | undefined;
  const sideOptions: LoadSideOptions = {
    ...options,
    snapshot: () => {
      snapshot ??= options.snapshot();
      return snapshot;
    },
  };
  let base: LoadedSide;
  let revision: LoadedSide;
  const revisionFile = inWorker(baseArgument, revisionArgument, options);
  if (revisionFile) {
    // Two large files: the revision is loaded in a worker thread while this thread loads the base.
    options.onProgress?.(`reading ${baseArgument} and ${revisionArgument}`);
    const loading = loadInWorker(revisionFile.path, loadOptionsOf(options));
    // Reported after the base's own error, if any (the order of the in-thread path).
    loading.result.catch(() => {});
    try {
      base = await loadDiffSide(baseArgument, sideOptions);
    } catch (error) {
      await loading.stop();
      throw error;
    }
    const loaded = await loading.result;
    revision = { label: revisionArgument, side: revisionFile.side, ...loaded };
  } else {
    options.onProgress?.(`reading ${baseArgument}`);
    base = await loadDiffSide(baseArgument, sideOptions);
    options.onProgress?.(`reading ${revisionArgument}`);
    revision = await loadDiffSide(revisionArgument, sideOptions);
  }
  const provider = options.provider ?? revision.provider?.service ?? base.provider?.service;
  let consumers: SpecChangeInput['consumers'];
  if (provider) {
    options.onProgress?.(`reading the consumer contracts of ${provider}`);
    consumers = { provider, contracts: await readConsumerContracts(await sideOptions.snapshot(), provider) };
  }
  const ignore =
    options.ignoreFile === undefined ? undefined : await readIgnoreFile(options.cwd, options.ignoreFile);
  options.onProgress?.('comparing');
  return checkSpecChange({
    base,
    revision,
    ...(ignore ? { ignore } : {}),
    ...(consumers ? { consumers } : {}),
  });
}

function loadOptionsOf(options: LoadSideOptions): LoadWorkerData['options'] {
  return { allowRemoteRefs: options.allowRemoteRefs ?? false, lenient: !options.strict };
}

/**
 * Files at least this large are loaded in parallel (default 4 MiB; the
 * environment's `ENTENTE_DIFF_WORKER_MIN_BYTES`, which tests set to 0): below
 * it, starting a worker and handing the document back cost more than
 * loading the file takes.
 */
export const DEFAULT_WORKER_MIN_BYTES = 4 * 1024 * 1024;

const workerScript = new URL('./load-worker.js', import.meta.url);

/**
 * The revision, when it is to be loaded in a worker: both sides are files of
 * at least the threshold, and the worker's script is there (it is not when
 * running from the TypeScript sources).
 */
function inWorker(
  baseArgument: string,
  revisionArgument: string,
  options: LoadSideOptions,
): { path: string; side: LoadedSide['side'] } | undefined {
  const setting = options.env.ENTENTE_DIFF_WORKER_MIN_BYTES;
  const threshold = setting === undefined || setting === '' ? DEFAULT_WORKER_MIN_BYTES : Number(setting);
  if (!Number.isInteger(threshold) || threshold < 0) {
    throw new ConfigError(
      'config.diff-worker-min-bytes',
      `ENTENTE_DIFF_WORKER_MIN_BYTES: ${JSON.stringify(setting)} is not a number of bytes`,
      {
        details: [
          {
            where: 'ENTENTE_DIFF_WORKER_MIN_BYTES',
            message: 'expected a whole number of bytes, e.g. 4194304',
          },
        ],
      },
    );
  }
  const exists = (path: string) => existsSync(resolve(options.cwd, path));
  const base = parseDiffSide(baseArgument, exists);
  const revision = parseDiffSide(revisionArgument, exists);
  if (base.kind !== 'file' || revision.kind !== 'file') return undefined;
  const large = (path: string) => {
    const info = statSync(resolve(options.cwd, path), { throwIfNoEntry: false });
    return info?.isFile() === true && info.size >= threshold;
  };
  if (!large(base.path) || !large(revision.path)) return undefined;
  if (workerScript.protocol !== 'file:' || !existsSync(fileURLToPath(workerScript))) return undefined;
  return { path: resolve(options.cwd, revision.path), side: revision };
}

const errorClasses = { InputError, ConfigError, RecordError, GitError, IoError } as const;

/** Loads a spec file in a worker thread; `stop` ends the worker. */
function loadInWorker(
  file: string,
  options: LoadWorkerData['options'],
): { result: Promise<{ document: LoadedSide['document']; warnings: string[] }>; stop: () => Promise<void> } {
  const worker = new Worker(workerScript, { workerData: { file, options } satisfies LoadWorkerData });
  const result = new Promise<{ document: LoadedSide['document']; warnings: string[] }>(
    (resolvePromise, reject) => {
      worker.once('message', (message: LoadWorkerMessage) => {
        if (message.ok) {
          resolvePromise({ document: JSON.parse(message.json), warnings: message.warnings });
          return;
        }
        const { name, message: text, code, details, hint, stack } = message.error;
        const ErrorClass = errorClasses[name as keyof typeof errorClasses];
        if (ErrorClass && code !== undefined) {
          reject(new ErrorClass(code, text, { ...(details ? { details } : {}), ...(hint ? { hint } : {}) }));
          return;
        }
        const error = new Error(text);
        error.name = name;
        if (stack) error.stack = stack;
        reject(error);
      });
      worker.once('error', reject);
      worker.once('exit', (code) =>
        reject(new Error(`the worker loading ${file} exited (code ${code}) without a result`)),
      );
    },
  );
  return {
    result,
    stop: async () => {
      await worker.terminate();
    },
  };
}

async function readIgnoreFile(cwd: string, file: string) {
  let text: string;
  try {
    text = await readFile(resolve(cwd, file), 'utf8');
  } catch (cause) {
    throw new InputError('input.file-missing', `${file}: the ignore file cannot be read`, {
      details: [{ where: file, message: (cause as NodeJS.ErrnoException).code ?? String(cause) }],
      cause,
    });
  }
  return { file, entries: parseDiffIgnore(parseJsonOrYaml(text, file), file) };
}
