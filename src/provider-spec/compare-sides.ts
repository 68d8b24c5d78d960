/**
 * The I/O edge of `entente diff`: each side read from where it lives (a file,
 * a git ref of the project, the contracts repository), the consumer contracts
 * read, then the pure check.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InputError } from '../errors.js';
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
  const loadOptions = { allowRemoteRefs: options.allowRemoteRefs ?? false, lenient: !options.strict };
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
  options.onProgress?.(`reading ${baseArgument}`);
  const base = await loadDiffSide(baseArgument, sideOptions);
  options.onProgress?.(`reading ${revisionArgument}`);
  const revision = await loadDiffSide(revisionArgument, sideOptions);
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
  return { file, entries: parseDiffIgnore(await parseJsonOrYaml(text, file), file) };
}
