import { Command, Option } from 'clipanion';
import { ExitCode, InputError } from '../../errors.js';
import { EntenteCommand } from '../base.js';

export class ExportPactCommand extends EntenteCommand {
  static override paths = [['export-pact']];
  static override usage = Command.Usage({
    description: "write a consumer version's contracts as pact files",
    details: `
      Writes one pact file per provider the consumer version has a contract with (or only \`--provider\`), named \`<consumer>-<provider>.json\`, in \`--out\`: Pact specification V3, or V4 with \`--spec-version 4\`. Pact tooling (pact-js's verifier, a Pact Broker) accepts them.

      An interaction imported from a pact goes back out as it came in, with its matching rules and generators. Any other interaction expresses what the consumer relies on as matching rules: the relied-on part of the body with a \`type\` rule (values by type, extra fields fine, any number of array elements), \`equality\` on pinned values, and the Content-Type by media type. Redacted request headers are left out. A field the consumer received as null is left out of the body (Pact cannot say "present, of any type").
    `,
    examples: [
      [
        'Pact files of castle-client 1.4.0',
        'entente export-pact --consumer castle-client --version 1.4.0 --out pacts',
      ],
      [
        'One provider, Pact V4',
        'entente export-pact --consumer castle-client --version 1.4.0 --provider castle-service --out pacts --spec-version 4',
      ],
    ],
  });

  consumer = Option.String('--consumer', {
    description: 'The consumer service (default: from configuration)',
  });
  version = Option.String('--version', { description: 'The consumer version (default: from configuration)' });
  provider = Option.String('--provider', { description: 'Only the contract with this provider' });
  out = Option.String('--out', { required: true, description: 'The folder to write the pact files to' });
  specVersion = Option.String('--spec-version', '3', {
    description: 'Pact specification version: 3 (default) or 4',
  });

  protected override configFlags() {
    return { service: this.consumer, version: this.version };
  }

  protected async run(): Promise<number> {
    if (this.specVersion !== '3' && this.specVersion !== '4') {
      throw new InputError(
        'input.spec-version',
        `--spec-version: expected 3 or 4, got ${JSON.stringify(this.specVersion)}`,
        {
          details: [{ where: '--spec-version', message: 'Pact specification V3 or V4' }],
        },
      );
    }
    const config = await this.config();
    const consumer = this.required(config.service, '--consumer', 'the consumer whose contracts to export');
    const version = this.required(config.version, '--version', 'the consumer version');
    const specVersion = this.specVersion === '4' ? 4 : 3;
    const files = await (await this.contracts()).exportPacts({
      consumer,
      version,
      ...(this.provider ? { provider: this.provider } : {}),
      specVersion,
    });
    const { mkdir, writeFile } = await import('node:fs/promises');
    const { join, resolve } = await import('node:path');
    const dir = resolve(config.cwd, this.out);
    await mkdir(dir, { recursive: true });
    for (const file of files)
      await writeFile(join(dir, file.name), `${JSON.stringify(file.pact, null, 2)}\n`);
    const written = files.map(({ pact: _pact, ...file }) => ({ ...file, path: join(this.out, file.name) }));
    this.output.data({ files: written });
    const { renderExported } = await import('../../render/publish.js');
    for (const line of renderExported(written, consumer, version, specVersion, this.output.colors)) {
      this.output.line(line);
    }
    return ExitCode.Ok;
  }
}
