import { Command, Option } from 'clipanion';
import { ExitCode } from '../../errors.js';
import type { PublishResult } from '../../record/publish.js';
import { EntenteCommand } from '../base.js';
import type { Output } from '../output.js';

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
    const config = await this.config();
    const { publishPending } = await import('../../record/publish.js');
    const result = await publishPending(await this.openStore(), config.pendingDir, {
      now: this.now(config.env),
      replace: this.replace,
    });
    reportPublished(this.output, result, config.pendingDir);
    return ExitCode.Ok;
  }
}

/** What was published, for people (and the whole result with --json). */
export function reportPublished(output: Output, result: PublishResult, pendingDir: string): void {
  output.data({ pendingDir, ...result });
  const { colors } = output;
  if (result.published === 0) {
    output.line(`Nothing to publish: no recordings in ${pendingDir}.`);
  } else {
    for (const contract of result.contracts) {
      const stored = contract.newContent ? 'stored' : 'identical content already stored';
      output.line(
        `${colors.green('✔')} Published ${colors.bold(`${contract.consumer}@${contract.consumerVersion}`)} → ${colors.bold(contract.provider)}: ${contract.interactions} interaction${contract.interactions === 1 ? '' : 's'} (contract ${contract.hash.slice(0, 12)}, ${stored}).`,
      );
    }
    if (result.fixtureDrafts > 0) {
      output.line(
        `Proposed ${result.fixtureDrafts} consumer fixture draft${result.fixtureDrafts === 1 ? '' : 's'} (status draft: served once approved).`,
      );
    }
    if (!result.committed) output.line('The contracts repository already had all of it: nothing committed.');
  }
  if (result.kept > 0) {
    output.line(
      `${result.kept} recording${result.kept === 1 ? '' : 's'} of other test runs still pending in ${pendingDir}: \`entente publish\` publishes them.`,
    );
  }
}
