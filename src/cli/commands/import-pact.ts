import { Command, Option } from 'clipanion';
import { ExitCode } from '../../errors.js';
import { EntenteCommand } from '../base.js';

export class ImportPactCommand extends EntenteCommand {
  static override paths = [['import-pact']];
  static override usage = Command.Usage({
    description: 'import pact files (Pact specification V2, V3, V4) as consumer contracts',
    details: `
      Each pact file's HTTP interactions become the contract of its consumer at \`--consumer-version\` with its provider (pacticipant names are lower-cased, other characters turned into \`-\`). Message and plugin interactions are refused, naming them. A folder stands for the \`*.json\` files in it. Everything is published in one transaction; pacts of the same consumer and provider are merged into one contract.

      Provider states (V2 \`providerState\`, V3/V4 \`providerStates\` with params) become the interaction's provider states. What the pact expects is what the consumer relies on: every key of its expected body, values without a relaxing matching rule pinned. The matching rules and generators are kept, and \`entente verify\` compares responses by them, the way Pact's verifier does (docs/verification-matching.md). When the provider has a published spec, each request is named by the operation it matches.

      Exit code 3 when a file is not a pact this command can import (the message names the file and the field).
    `,
    examples: [
      [
        'Import the pacts a consumer test run wrote',
        'entente import-pact ./pacts --consumer-version 1.4.0 --branch main',
      ],
      [
        'Import pacts downloaded from a broker',
        'entente import-pact castle-client-castle-service.json --consumer-version 8f3a2c1',
      ],
    ],
  });

  files = Option.Rest({ name: 'file|dir', required: 1 });
  consumerVersion = Option.String('--consumer-version', {
    description: 'The consumer version the contracts belong to (default: from configuration)',
  });
  branch = Option.String('--branch', {
    description: "The consumer's source branch (default: from CI or git)",
  });

  protected override configFlags() {
    return { version: this.consumerVersion, branch: this.branch };
  }

  protected async run(): Promise<number> {
    const config = await this.config();
    const consumerVersion = this.required(
      config.version,
      '--consumer-version',
      'the consumer version the pacts belong to',
    );
    const result = await (await this.contracts()).importPacts({ files: this.files, consumerVersion });
    this.output.data(result);
    const { renderImported } = await import('../../render/publish.js');
    for (const line of renderImported(result, this.output.colors)) this.output.line(line);
    return ExitCode.Ok;
  }
}
