import { Command, Option } from 'clipanion';
import { ExitCode, InputError } from '../../errors.js';
import { EntenteCommand } from '../base.js';

export class ChangesCommand extends EntenteCommand {
  static override paths = [['changes']];
  static override usage = Command.Usage({
    description: 'what a range of contracts-repository commits did, for alerts and pipeline triggers',
    details: `
      Reads the commits \`<from>..<to>\` of the contracts branch, oldest first, and says what each did, each fact once: contracts published (and whether the provider has something new to verify), specs published, verifications that failed, recovered or passed, deployments and undeployments recorded, draft fixtures waiting for approval. Then the providers to trigger: one per provider with new contracts that no verification in the range answered, with the \`entente verify --consumer\` selectors to run.

      \`<from>\` and \`<to>\` are commit ids, or \`HEAD\` (the contracts branch's head), optionally followed by \`~N\` or \`^\`; \`<to>\` defaults to \`HEAD\` and an all-zero \`<from>\` (a CI's "no previous commit") means from the beginning. Text for people, \`--markdown\` for chat or a pull-request comment, \`--json\` for scripts (see docs/changes.md). Always exit code 0 when the range was read.
    `,
    examples: [
      ['The commits of the last push (in CI)', 'entente changes "$BEFORE_SHA..$AFTER_SHA"'],
      ['The last five commits, for chat', 'entente changes HEAD~5..HEAD --markdown'],
      ['For a script', 'entente changes HEAD~1.. --json'],
    ],
  });

  range = Option.String({ name: 'from..to' });
  markdown = Option.Boolean('--markdown', false, {
    description: 'Markdown for chat or a pull-request comment',
  });

  protected async run(): Promise<number> {
    const match = /^([^.]+)\.\.([^.]*)$/.exec(this.range);
    if (!match) {
      throw new InputError(
        'input.range',
        `<from>..<to>: ${JSON.stringify(this.range)} is not a range such as HEAD~3..HEAD`,
        {
          details: [{ where: '<from>..<to>', message: 'two revisions separated by ..' }],
        },
      );
    }
    const report = await (await this.contracts()).changes(match[1]!, match[2] || undefined);
    this.output.data(report);
    const { renderChangesMarkdown, renderChangesText } = await import('../../render/changes.js');
    this.output.line(this.markdown ? renderChangesMarkdown(report) : renderChangesText(report));
    return ExitCode.Ok;
  }
}
