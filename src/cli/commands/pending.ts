import { Command, Option } from 'clipanion';
import { ExitCode } from '../../errors.js';
import { describeOfflineSource } from '../../render/offline.js';
import { EntenteCommand } from '../base.js';

export class PendingCommand extends EntenteCommand {
  static override paths = [['pending']];
  static override usage = Command.Usage({
    description: "list the consumer contracts the provider's main branch has not verified yet",
    details: `
      Takes the contracts \`entente verify\` selects by default (the latest contract of each consumer's main branches and every consumer version deployed in any environment) and lists those the provider's latest version on a main branch has no verification result for. This is the trigger a provider pipeline needs when a consumer publishes a new contract: see docs/providers.md for a CI recipe.

      Exit code 0 when nothing is pending, 2 when some contract still needs a verification, 4 when the contracts repository cannot be fetched (\`--offline\` answers from the last fetched copy and says how old it is).
    `,
    examples: [
      ['What castle-service still has to verify', 'entente pending --provider castle-service'],
      ['For a script', 'entente pending --provider castle-service --json'],
    ],
  });

  provider = Option.String('--provider', {
    description: 'The provider service (default: from configuration)',
  });

  offline = Option.Boolean('--offline', false, {
    description: 'Answer from the last fetched copy of the contracts repository, saying how old it is',
  });

  protected override configFlags() {
    return { service: this.provider };
  }

  protected async run(): Promise<number> {
    const config = await this.config();
    const provider = this.required(config.service, '--provider', 'the provider service');
    const contracts = await this.contracts();
    const { source, ...report } = await contracts.pending({ provider, offline: this.offline });
    this.output.data({ ...report, source });
    const { renderPending } = await import('../../render/verify.js');
    this.output.line(renderPending(report, this.output.colors));
    if (source.offline) this.output.line(describeOfflineSource(source, contracts.location));
    return report.pending.length === 0 ? ExitCode.Ok : ExitCode.Unknown;
  }
}
