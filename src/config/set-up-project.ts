import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { serviceName } from '../model/names.js';
import type { EntenteConfig } from './resolve.js';

export interface ProjectSetUp {
  /** The `.entente.yml` written. */
  configFile: string;
  /** The service name written; null when none was found. */
  service: string | null;
  /** The `.gitignore` `.entente/` was added to; null when it was already ignored. */
  gitignore: string | null;
}

/**
 * `entente init` in a project: writes `.entente.yml` in `config.cwd` (the
 * service name and, when given, the contracts location as the user wrote it)
 * and ignores the pending folder in `.gitignore`. An existing `.entente.yml`
 * is replaced only with `force`.
 */
export async function setUpProject(
  config: EntenteConfig,
  input: { force?: boolean; contracts?: string },
): Promise<ProjectSetUp> {
  const target = join(config.cwd, '.entente.yml');
  if (config.configFile === target && !input.force) {
    throw new InputError('input.config-exists', `${target} already exists; pass --force to overwrite it`);
  }
  const service = config.service ? serviceName(config.service, config.sources.service) : undefined;
  const settings: Record<string, string> = {
    ...(service ? { service } : {}),
    ...(input.contracts ? { contracts: input.contracts } : {}),
  };
  const header = [
    '# entente configuration: every key is explained in .entente.example.yml and docs/configuration.md.',
    '# Flags and ENTENTE_* environment variables override these values.',
  ].join('\n');
  const { stringify } = await import('yaml');
  const body = Object.keys(settings).length ? stringify(settings) : '{}\n';
  await writeFile(target, `${header}\n${body}`);
  const ignored = await ignorePendingFolder(join(config.cwd, '.gitignore'));
  return { configFile: target, service: service ?? null, gitignore: ignored ?? null };
}

/** Adds `.entente/` to the .gitignore (created if needed); returns its path, or undefined when already ignored. */
async function ignorePendingFolder(gitignore: string): Promise<string | undefined> {
  const text = await readFile(gitignore, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
  if (text.split(/\r?\n/).some((line) => /^\/?\.entente\/?$/.test(line.trim()))) return undefined;
  const separator = text === '' || text.endsWith('\n') ? '' : '\n';
  await writeFile(gitignore, `${text}${separator}# entente: recordings waiting to be published\n.entente/\n`);
  return gitignore;
}
