import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command, Option } from 'clipanion';
import * as t from 'typanion';
import { ExitCode, InputError } from '../../errors.js';
import { environmentName, serviceName } from '../../model/names.js';
import { EntenteCommand } from '../base.js';

export class InitCommand extends EntenteCommand {
  static override paths = [['init']];
  static override usage = Command.Usage({
    description:
      'set up a project (.entente.yml) or, with --contracts-repo, a new contracts repository (entente.yml)',
    details: `
      In a project, writes \`.entente.yml\` in the current folder with the service name (from \`--service\` or package.json) and, when given, the contracts repository location, and adds \`.entente/\` (where recordings wait to be published) to \`.gitignore\`. Without a configured location, entente uses a local repository under ENTENTE_HOME (~/.entente/contracts): \`init\` creates it. An existing \`.entente.yml\` is left alone unless \`--force\` is given.

      With \`--contracts-repo\`, sets up the contracts repository itself instead: commits its \`entente.yml\`, the policy — the environments it knows (\`--environments\`; record-deployment and can-i-deploy then refuse any other name) and what makes a pair compatible (\`--compatibility\`). Any empty repository will do, whatever its default branch: a bare repository made by \`git init --bare\` has its HEAD pointed at the contracts branch (\`main\` unless configured), so clones check it out. An existing policy is left alone unless \`--force\` is given.
    `,
    examples: [
      ['Start with the local default repository', 'entente init'],
      [
        'Use a shared repository',
        'entente init --service castle-client --contracts git@github.com:acme/contracts.git',
      ],
      [
        'Set up a new contracts repository',
        'entente init --contracts-repo --contracts git@github.com:acme/contracts.git --environments staging,production',
      ],
    ],
  });

  service = Option.String('--service', {
    description: "This project's service name (default: package.json name)",
  });
  force = Option.Boolean('--force', false, {
    description: 'Overwrite an existing .entente.yml (or, with --contracts-repo, entente.yml)',
  });
  contractsRepo = Option.Boolean('--contracts-repo', false, {
    description: 'Set up the contracts repository (its entente.yml) instead of this project',
  });
  environments = Option.String('--environments', {
    description: 'With --contracts-repo: the environments deployments go to, comma-separated',
  });
  compatibility = Option.String('--compatibility', {
    description: 'With --contracts-repo: verified, static or verified-or-static (the default)',
    validator: t.isEnum(['verified', 'static', 'verified-or-static'] as const),
  });

  protected override configFlags() {
    return { service: this.service };
  }

  protected async run(): Promise<number> {
    if (this.contractsRepo) return this.initContractsRepo();
    if (this.environments !== undefined || this.compatibility !== undefined) {
      throw new InputError(
        'input.flag-context',
        '--environments and --compatibility set up a contracts repository: add --contracts-repo',
        {
          details: [
            { where: '--contracts-repo', message: 'expected with --environments or --compatibility' },
          ],
        },
      );
    }
    const config = await this.config();
    const target = join(config.cwd, '.entente.yml');
    if (config.configFile === target && !this.force) {
      throw new InputError('input.config-exists', `${target} already exists; pass --force to overwrite it`);
    }
    const service = config.service ? serviceName(config.service, config.sources.service) : undefined;
    const settings: Record<string, string> = {
      ...(service ? { service } : {}),
      ...(this.contractsOption ? { contracts: this.contractsOption } : {}),
    };
    const header = [
      '# entente configuration: every key is explained in .entente.example.yml and docs/configuration.md.',
      '# Flags and ENTENTE_* environment variables override these values.',
    ].join('\n');
    const { stringify } = await import('yaml');
    const body = Object.keys(settings).length ? stringify(settings) : '{}\n';
    await writeFile(target, `${header}\n${body}`);
    const ignored = await ignorePendingFolder(join(config.cwd, '.gitignore'));

    const store = await this.openStore();
    const { describeLocation } = await import('../../store/location.js');
    this.output.data({
      configFile: target,
      service: service ?? null,
      contracts: describeLocation(config.contracts),
      gitignore: ignored ?? null,
    });
    this.output.line(`${this.output.colors.green('✔')} Wrote ${target}`);
    if (ignored) this.output.line(`${this.output.colors.green('✔')} Added .entente/ to ${ignored}`);
    if (!service) this.output.warn('no service name found: add `service:` to .entente.yml or pass --service');
    this.output.line(
      config.contracts.kind === 'default'
        ? `Contracts repository: ${store.description} (local; set \`contracts:\` to share one with other teams)`
        : `Contracts repository: ${store.description}`,
    );
    return ExitCode.Ok;
  }

  private async initContractsRepo(): Promise<number> {
    const environments = this.environments
      ?.split(',')
      .map((name) => name.trim())
      .filter(Boolean)
      .map((name) => environmentName(name, '--environments'));
    const store = await this.openStore();
    const { writePolicy } = await import('../../store/policy.js');
    const { policy, commit } = await writePolicy(
      store,
      {
        compatibility: this.compatibility ?? 'verified-or-static',
        ...(environments ? { environments } : {}),
      },
      { force: this.force },
    );
    this.output.data({ contracts: store.description, branch: store.branch, policy, commit });
    this.output.line(
      commit
        ? `${this.output.colors.green('✔')} Committed entente.yml to ${store.description} (branch ${store.branch})`
        : `${store.description} already has this entente.yml; nothing to do`,
    );
    this.output.line(
      `Environments: ${policy.environments?.join(', ') ?? 'any (no list: every name is accepted)'}; compatibility: ${policy.compatibility}.`,
    );
    return ExitCode.Ok;
  }
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
