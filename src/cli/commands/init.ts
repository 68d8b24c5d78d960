import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command, Option } from 'clipanion';
import { ExitCode, InputError } from '../../errors.js';
import { serviceName } from '../../model/names.js';
import { EntenteCommand } from '../base.js';

export class InitCommand extends EntenteCommand {
  static override paths = [['init']];
  static override usage = Command.Usage({
    description:
      'write .entente.yml for this project and create the local contracts repository if none is configured',
    details: `
      Writes \`.entente.yml\` in the current folder with the service name (from \`--service\` or package.json) and, when given, the contracts repository location. Without a configured location, entente uses a local repository under ENTENTE_HOME (~/.entente/contracts): \`init\` creates it.

      An existing \`.entente.yml\` is left alone unless \`--force\` is given.
    `,
    examples: [
      ['Start with the local default repository', 'entente init'],
      [
        'Use a shared repository',
        'entente init --service castle-client --contracts git@github.com:acme/contracts.git',
      ],
    ],
  });

  service = Option.String('--service', {
    description: "This project's service name (default: package.json name)",
  });
  force = Option.Boolean('--force', false, { description: 'Overwrite an existing .entente.yml' });

  protected override configFlags() {
    return { service: this.service };
  }

  protected async run(): Promise<number> {
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

    const store = await this.openStore();
    const { describeLocation } = await import('../../store/location.js');
    this.output.data({
      configFile: target,
      service: service ?? null,
      contracts: describeLocation(config.contracts),
    });
    this.output.line(`${this.output.colors.green('✔')} Wrote ${target}`);
    if (!service) this.output.warn('no service name found: add `service:` to .entente.yml or pass --service');
    this.output.line(
      config.contracts.kind === 'default'
        ? `Contracts repository: ${store.description} (local; set \`contracts:\` to share one with other teams)`
        : `Contracts repository: ${store.description}`,
    );
    return ExitCode.Ok;
  }
}
