/**
 * Configuration is resolved once, at the edge, in this order:
 * flags > ENTENTE_* environment > .entente.yml > package.json / CI variables / git.
 * Everything below the CLI receives the result; nothing else reads the
 * environment or the working directory.
 */
import { readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ConfigError } from '../errors.js';
import { branchName, serviceName, versionName } from '../model/names.js';
import { checkRecord } from '../model/validate.js';
import type { GitEnv } from '../store/git.js';
import { type ContractsLocation, contractsBranchName, parseLocation } from '../store/location.js';
import { readProjectGit } from '../store/project-git.js';
import { parseYaml } from '../util/parse.js';
import { ProjectConfigFile } from './schema.js';

export interface ConfigFlags {
  config?: string;
  contracts?: string;
  service?: string;
  version?: string;
  branch?: string;
  commit?: string;
  testRun?: string;
}

export interface EntenteConfig {
  cwd: string;
  /** The `.entente.yml` that was read, if any. */
  configFile?: string;
  file: ProjectConfigFile;
  contracts: ContractsLocation;
  contractsBranch: string;
  cacheDir: string;
  home: string;
  service?: string;
  version?: string;
  branch?: string;
  commit?: string;
  /** Where each value came from (`--service`, `ENTENTE_SERVICE`, `.entente.yml`, `package.json`, `git`…). */
  sources: Partial<Record<'service' | 'version' | 'branch' | 'commit' | 'contracts', string>>;
  /** True in CI (`CI=true`). */
  ci: boolean;
  /** Whether mocks record: ENTENTE_RECORD (set by `entente record`), else on in CI. */
  recording: boolean;
  /** Where recorded interactions wait to be published (absolute). */
  pendingDir: string;
  /** The test run recordings are tagged with: --test-run, ENTENTE_TEST_RUN, GITHUB_RUN_ID, CI_PIPELINE_ID. */
  testRun?: string;
  /** The project root: the folder of `.entente.yml`, else of `package.json`, else the working directory. */
  projectDir: string;
  /** The environment child processes (git) run with. */
  env: GitEnv;
}

export interface ResolveInput {
  flags: ConfigFlags;
  env: GitEnv;
  cwd: string;
}

const CONFIG_NAMES = ['.entente.yml', '.entente.yaml'];

export async function resolveConfig({ flags, env, cwd }: ResolveInput): Promise<EntenteConfig> {
  const configFile = flags.config
    ? resolve(cwd, flags.config)
    : env.ENTENTE_CONFIG
      ? resolve(cwd, env.ENTENTE_CONFIG)
      : await findUp(cwd, CONFIG_NAMES);
  const file = configFile
    ? await readConfigFile(configFile, Boolean(flags.config || env.ENTENTE_CONFIG))
    : {};
  const configDir = configFile ? dirname(configFile) : cwd;
  const packageFile = await findUp(cwd, ['package.json']);
  const pkg = packageFile ? await readPackage(packageFile) : {};

  const home = resolve(cwd, env.ENTENTE_HOME || join(homedir(), '.entente'));
  const sources: EntenteConfig['sources'] = {};
  const pick = <K extends keyof EntenteConfig['sources']>(
    key: K,
    candidates: [string | undefined, string][],
  ): string | undefined => {
    for (const [value, source] of candidates) {
      if (value !== undefined && value !== '') {
        sources[key] = source;
        return value;
      }
    }
    return undefined;
  };

  const contractsValue = pick('contracts', [
    [flags.contracts, '--contracts'],
    [env.ENTENTE_CONTRACTS, 'ENTENTE_CONTRACTS'],
    [file.contracts, configFile ?? '.entente.yml'],
  ]);
  const contracts: ContractsLocation = contractsValue
    ? parseLocation(
        contractsValue,
        sources.contracts === '--contracts' || sources.contracts === 'ENTENTE_CONTRACTS' ? cwd : configDir,
        sources.contracts,
      )
    : { kind: 'default', path: join(home, 'contracts') };

  const needsGit =
    !(flags.branch || env.ENTENTE_BRANCH || file.branch) || !(flags.commit || env.ENTENTE_COMMIT);
  const git = needsGit ? await readProjectGit(cwd, env) : {};
  const ciBranch = env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME || env.CI_COMMIT_REF_NAME || env.BRANCH_NAME;
  const ciCommit = env.GITHUB_SHA || env.CI_COMMIT_SHA || env.GIT_COMMIT;

  const commit = pick('commit', [
    [flags.commit, '--commit'],
    [env.ENTENTE_COMMIT, 'ENTENTE_COMMIT'],
    [ciCommit, 'CI environment'],
    [git.commit, 'git'],
  ]);
  const branch = pick('branch', [
    [flags.branch, '--branch'],
    [env.ENTENTE_BRANCH, 'ENTENTE_BRANCH'],
    [file.branch, `${configFile} branch`],
    [ciBranch, 'CI environment'],
    [git.branch, 'git'],
  ]);
  const service = pick('service', [
    [flags.service, '--service'],
    [env.ENTENTE_SERVICE, 'ENTENTE_SERVICE'],
    [file.service, `${configFile} service`],
    [pkg.name?.replace(/^@[^/]+\//, ''), `${packageFile} name`],
  ]);
  const version = pick('version', [
    [flags.version, '--version'],
    [env.ENTENTE_VERSION, 'ENTENTE_VERSION'],
    [file.version, `${configFile} version`],
    [pkg.version, `${packageFile} version`],
    [commit?.slice(0, 12), 'git commit'],
  ]);

  const ci = env.CI === 'true' || env.CI === '1';
  const projectDir = configFile ? configDir : packageFile ? dirname(packageFile) : cwd;
  const testRun = flags.testRun || env.ENTENTE_TEST_RUN || env.GITHUB_RUN_ID || env.CI_PIPELINE_ID;

  return {
    cwd,
    ...(configFile ? { configFile } : {}),
    file,
    contracts,
    contractsBranch: env.ENTENTE_CONTRACTS_BRANCH
      ? contractsBranchName(env.ENTENTE_CONTRACTS_BRANCH, 'ENTENTE_CONTRACTS_BRANCH')
      : file.contractsBranch
        ? contractsBranchName(file.contractsBranch, `${configFile} contractsBranch`)
        : 'main',
    cacheDir: resolve(
      cwd,
      env.ENTENTE_CACHE_DIR ||
        file.cacheDir ||
        join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'entente'),
    ),
    home,
    ...(service !== undefined ? { service: serviceName(service, sources.service) } : {}),
    ...(version !== undefined ? { version: versionName(version, sources.version) } : {}),
    ...(branch !== undefined ? { branch: branchName(branch, sources.branch) } : {}),
    ...(commit !== undefined ? { commit } : {}),
    sources,
    ci,
    recording: parseRecording(env.ENTENTE_RECORD) ?? ci,
    pendingDir: env.ENTENTE_PENDING_DIR
      ? resolve(cwd, env.ENTENTE_PENDING_DIR)
      : file.pendingDir
        ? resolve(configDir, file.pendingDir)
        : join(projectDir, '.entente', 'pending'),
    ...(testRun ? { testRun } : {}),
    projectDir,
    env,
  };
}

function parseRecording(value: string | undefined): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new ConfigError(
    'config.record',
    `ENTENTE_RECORD: ${JSON.stringify(value)} is not a boolean; expected true, false, 1 or 0`,
  );
}

async function findUp(start: string, names: string[]): Promise<string | undefined> {
  let dir = resolve(start);
  for (;;) {
    for (const name of names) {
      const candidate = join(dir, name);
      if (await isFile(candidate)) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}

async function readConfigFile(path: string, explicit: boolean): Promise<ProjectConfigFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    if (!explicit) return {};
    throw new ConfigError('config.file-missing', `configuration file ${path} does not exist`);
  }
  const data = (await parseYaml(text, path)) ?? {};
  return checkRecord(
    ProjectConfigFile,
    data,
    path,
    (code, message, details) => new ConfigError(code, message, { details }),
  );
}

async function readPackage(path: string): Promise<{ name?: string; version?: string }> {
  try {
    const pkg = JSON.parse(await readFile(path, 'utf8')) as { name?: unknown; version?: unknown };
    return {
      ...(typeof pkg.name === 'string' ? { name: pkg.name } : {}),
      ...(typeof pkg.version === 'string' ? { version: pkg.version } : {}),
    };
  } catch {
    return {};
  }
}
