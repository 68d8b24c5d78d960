import { Command, Option } from 'clipanion';
import { ExitCode } from '../../errors.js';
import { parseAge } from '../../fixtures/dates.js';
import { EntenteCommand } from '../base.js';

const DEFAULT_AGE = '90d';

export class PruneCommand extends EntenteCommand {
  static override paths = [['prune']];
  static override usage = Command.Usage({
    description:
      'remove old versions that no verdict depends on, with their contracts, verifications and drafts',
    details: `
      A version is removed when all three hold: it is deployed in no environment, it is not the latest version of a main branch (the repository policy's \`mainBranches\`, default main and master), and it was created before the cutoff (\`--older-than\`, default ${DEFAULT_AGE}). With it go what only it needed: its contracts (unless a kept version has the same one), verifications by it or of its contracts, its specs (unless a kept version shares them), fixture drafts proposed from it, and branch records pointing at it. Approved fixtures, deployment histories and anything entente did not write stay.

      Everything a kept version's can-i-deploy reads stays, so the gate answers the same before and after. A removed version is unknown afterwards: recording a deployment of it is refused unless \`--allow-unknown-version\`.

      One commit removes it all (git history still has it). \`--dry-run\` lists what would go and changes nothing.
    `,
    examples: [
      ['See what would be removed', 'entente prune --dry-run'],
      ['Remove versions older than six months', 'entente prune --older-than 6months'],
      ['Everything created before a date', 'entente prune --older-than 2026-01-01'],
    ],
  });

  olderThan = Option.String('--older-than', DEFAULT_AGE, {
    description: `Only versions created before this age or date: 90d, 12w, 6months, 2026-01-01 (default ${DEFAULT_AGE})`,
  });
  dryRun = Option.Boolean('--dry-run', false, { description: 'List what would be removed; change nothing' });

  protected async run(): Promise<number> {
    const config = await this.config();
    const cutoff = parseAge(this.olderThan, new Date(this.now(config.env)), '--older-than');
    const result = await (await this.contracts()).prune({ olderThan: cutoff, dryRun: this.dryRun });
    this.output.data(result);
    const { renderPrune } = await import('../../render/prune.js');
    this.output.line(renderPrune(result, this.output.colors));
    return ExitCode.Ok;
  }
}
