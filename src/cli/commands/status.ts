import { Command, Option } from 'clipanion';
import { ExitCode } from '../../errors.js';
import { EntenteCommand } from '../base.js';

export class StatusCommand extends EntenteCommand {
  static override paths = [['status']];
  static override usage = Command.Usage({
    description: 'show services, versions, specs, what is deployed where, and which versions are compatible',
    details: `
      Reads the contracts repository and shows every service with its versions in play — those deployed and the latest version of each branch — with their spec, the providers they have contracts with and where they are deployed, then every environment with the versions deployed there. \`--all-versions\` lists every version instead (it reads every version record, so it takes longer as the history grows). \`--json\` gives everything read.

      Then the compatibility matrix, per environment: each consumer version × provider version with a contract between them, the verification result, the static check result and the verdict can-i-deploy would give the pair. Only the versions in play are in it: those deployed in the environment and each service's latest version on a main branch (the repository policy's \`mainBranches\`, default main and master). \`--no-matrix\` leaves it out.
    `,
    examples: [
      ['Everything', 'entente status'],
      ['Only production', 'entente status --environment production'],
      ['For scripts', 'entente status --json'],
      ['Without the compatibility matrix', 'entente status --no-matrix'],
      ['Every version of every service', 'entente status --all-versions --no-matrix'],
    ],
  });

  environment = Option.String('--environment', {
    description: 'Only this environment and the services deployed there',
  });
  allVersions = Option.Boolean('--all-versions', false, {
    description: 'List every version, not only those deployed and the latest of each branch',
  });
  matrix = Option.Boolean('--matrix', true, {
    description: 'Show the compatibility matrix of each environment (--no-matrix to leave it out)',
  });

  protected async run(): Promise<number> {
    const status = await (await this.contracts()).status({
      ...(this.environment === undefined ? {} : { environment: this.environment }),
      allVersions: this.allVersions,
      matrix: this.matrix,
    });
    this.output.data(status);
    if (!this.output.json) {
      const { renderMatrix, renderStatus } = await import('../../render/status.js');
      this.output.line(renderStatus(status.contracts, status.branch, status, this.output.colors));
      if (status.matrix) this.output.line(renderMatrix(status.matrix, this.output.colors));
    }
    return ExitCode.Ok;
  }
}
