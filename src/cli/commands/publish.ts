import { Command, Option } from 'clipanion';
import { ExitCode } from '../../errors.js';
import { EntenteCommand } from '../base.js';

export class PublishCommand extends EntenteCommand {
  static override paths = [['publish']];
  static override usage = Command.Usage({
    description: 'publish the recordings waiting in the pending folder as contracts',
    details: `
      Mocks that record (in CI, under \`entente record\`, or with \`record: true\`) write each interaction to the pending folder (\`.entente/pending\` at the project root, or \`pendingDir\` in \`.entente.yml\`). This command turns them into one contract per consumer version and provider in the contracts repository, proposes consumer fixture drafts from the responses the mock generated, and commits everything at once.

      The pending files are removed only after the push succeeded: when it fails (exit 4) they stay, and running the command again publishes them.

      A published contract does not change under its consumer version: recordings of the same test run (sharded CI jobs) merge into it, but a later run that recorded different interactions for a version that already has a contract with that provider is refused (exit 3, saying what differs). \`--replace\` replaces the contract instead, as long as that version is neither deployed nor verified.
    `,
    examples: [
      ['Publish what the last test runs recorded', 'entente publish'],
      [
        'Publish to an explicit contracts repository',
        'entente publish --contracts git@github.com:acme/contracts.git',
      ],
    ],
  });

  replace = Option.Boolean('--replace', false, {
    description:
      "Replace a consumer version's contract recorded by another run (refused once deployed or verified)",
  });

  protected async run(): Promise<number> {
    const contracts = await this.contracts();
    const result = await contracts.publish({ replace: this.replace });
    const { pendingDir } = contracts.config;
    this.output.data({ pendingDir, ...result });
    const { renderPublished } = await import('../../render/publish.js');
    for (const line of renderPublished(result, pendingDir, this.output.colors)) this.output.line(line);
    return ExitCode.Ok;
  }
}
