import { Command, Option } from 'clipanion';
import { ExitCode } from '../../errors.js';
import { EntenteCommand } from '../base.js';

export class PublishSpecCommand extends EntenteCommand {
  static override paths = [['publish-spec']];
  static override usage = Command.Usage({
    description: "validate, bundle and store a provider version's OpenAPI spec",
    details: `
      Reads an OpenAPI 3.0 or 3.1 document (YAML or JSON; Swagger 2.0 is converted to 3.0), resolves the local files it references into one self-contained document, validates it, and stores it for the service and version in the contracts repository. Validation errors point at the file and the JSON pointer.

      Local \`$ref\`s must stay inside the spec file's folder (\`--ref-root\` names a wider one): absolute paths, \`file:\` URLs, links pointing out, devices and files over 32 MiB are refused. Remote \`$ref\`s (http, https) are refused unless \`--allow-remote-refs\` is given. Identical documents are stored once. A version's spec does not change: publishing a different spec for a version that has one is refused unless \`--force\`.

      Before storing, the spec is compared with the latest published version of the service, as \`entente diff service@latest <spec>\` would: breaking changes (errors, and warnings about response bodies) and the consumers they hurt are reported as a warning on stderr (and in \`--json\` as \`breakingChanges\`); publishing still succeeds. With \`--fail-on-breaking\` nothing is stored and the exit code is 1 instead.

      \`--service\`, \`--version\` and \`--branch\` default to the project's configuration (\`.entente.yml\`, \`package.json\`, CI variables, git).
    `,
    examples: [
      ['Publish the spec of this project', 'entente publish-spec --spec openapi.yaml'],
      [
        'Refuse a spec that breaks the latest published one',
        'entente publish-spec --spec openapi.yaml --fail-on-breaking',
      ],
      [
        'Publish for an explicit service and version',
        'entente publish-spec --spec openapi.yaml --service castle-service --version 1.2.0 --branch main',
      ],
    ],
  });

  spec = Option.String('--spec', { required: true, description: 'The OpenAPI file (YAML or JSON)' });
  service = Option.String('--service', { description: 'The provider service (default: from configuration)' });
  version = Option.String('--version', { description: 'The provider version (default: from configuration)' });
  branch = Option.String('--branch', { description: 'The source branch (default: from CI or git)' });
  allowRemoteRefs = Option.Boolean('--allow-remote-refs', false, {
    description: 'Fetch and bundle http(s) $refs',
  });
  refRoot = Option.String('--ref-root', {
    description: "The folder local $refs must stay inside (default: the spec file's folder)",
  });
  failOnBreaking = Option.Boolean('--fail-on-breaking', false, {
    description: 'Do not publish (exit 1) when the spec breaks the latest published one',
  });
  force = Option.Boolean('--force', false, {
    description: "Replace this version's spec if it has a different one",
  });

  protected override configFlags() {
    return { service: this.service, version: this.version, branch: this.branch };
  }

  protected async run(): Promise<number> {
    const contracts = await this.contracts();
    const outcome = await contracts.publishSpec({
      spec: this.spec,
      allowRemoteRefs: this.allowRemoteRefs,
      ...(this.refRoot === undefined ? {} : { refRoot: this.refRoot }),
      failOnBreaking: this.failOnBreaking,
      force: this.force,
    });
    const { service, version, published, breakingChanges } = outcome;
    const { describeBreakingChanges, renderSpecPublished } = await import('../../render/publish.js');
    if (breakingChanges) {
      this.output.warn(describeBreakingChanges(service, version, breakingChanges, this.spec));
    }
    if (!published) {
      this.output.data({ service, version, outcome: 'refused', breakingChanges });
    } else {
      this.output.data({
        ...published,
        openapi: outcome.openapi,
        convertedFrom: outcome.convertedFrom ?? null,
        breakingChanges,
      });
      for (const warning of outcome.warnings) this.output.warn(warning);
    }
    for (const line of renderSpecPublished(outcome, this.output.colors)) this.output.line(line);
    return published ? ExitCode.Ok : ExitCode.ContractProblem;
  }
}
