import { Command, Option } from 'clipanion';
import * as t from 'typanion';
import { ExitCode, InputError } from '../../errors.js';
import { environmentName } from '../../model/names.js';
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
    const contracts = await this.contracts();
    const written = await contracts.setUpProject({
      force: this.force,
      ...(this.contractsOption ? { contracts: this.contractsOption } : {}),
    });
    this.output.data({
      configFile: written.configFile,
      service: written.service,
      contracts: contracts.location,
      gitignore: written.gitignore,
    });
    const { renderProjectSetUp } = await import('../../render/init.js');
    const { lines, warnings } = renderProjectSetUp(
      written,
      contracts.location,
      contracts.config.contracts.kind === 'default',
      this.output.colors,
    );
    for (const line of lines) this.output.line(line);
    for (const warning of warnings) this.output.warn(warning);
    return ExitCode.Ok;
  }

  private async initContractsRepo(): Promise<number> {
    const environments = this.environments
      ?.split(',')
      .map((name) => name.trim())
      .filter(Boolean)
      .map((name) => environmentName(name, '--environments'));
    const contracts = await this.contracts();
    const { policy, commit } = await contracts.setUpRepository({
      policy: {
        compatibility: this.compatibility ?? 'verified-or-static',
        ...(environments ? { environments } : {}),
      },
      force: this.force,
    });
    this.output.data({ contracts: contracts.location, branch: contracts.branchName, policy, commit });
    const { renderRepositorySetUp } = await import('../../render/init.js');
    for (const line of renderRepositorySetUp(
      { policy, commit },
      contracts.location,
      contracts.branchName,
      this.output.colors,
    )) {
      this.output.line(line);
    }
    return ExitCode.Ok;
  }
}
