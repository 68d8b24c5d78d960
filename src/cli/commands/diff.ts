import { Command, Option } from 'clipanion';
import * as t from 'typanion';
import { ExitCode } from '../../errors.js';
import { serviceName } from '../../model/names.js';
import { EntenteCommand } from '../base.js';

export class DiffCommand extends EntenteCommand {
  static override paths = [['diff']];
  static override usage = Command.Usage({
    description: 'breaking changes between two specs, and which consumers each one breaks',
    details: `
      Compares a base spec with a revision. Each side is a spec file (bundled and validated like \`publish-spec\` does, except that a document that parses is compared even when it is not valid OpenAPI: its errors are listed as warnings, and \`--strict\` refuses it instead), \`gitref:path\` (the file at a branch, tag or commit of this project's git repository; its relative \`$ref\`s are read at the same ref; the path is from the repository's top folder, or from the current folder when it starts with \`./\`), or \`service@version\` (\`service@latest\`) for a spec published in the contracts repository.

      Every change is reported by a rule with a stable ID and a level (error, warning, info): see docs/breaking-changes.md.

      When a side is \`service@version\`, or \`--provider\` is given, the change is also checked against the provider's consumer contracts: those of every consumer version deployed in any environment and of each consumer's latest main-branch version. For every breaking change (errors, and warnings about response bodies) it names the consumers whose interactions rely on what changed and those it leaves alone; each contract is also checked statically against the revision.

      \`--ignore FILE\` names accepted changes (YAML or JSON: \`ignore:\` a list of \`rule\`, \`operation\` such as \`GET /castles/{id}\` or an operationId, \`path\`, a body path or JSON pointer, and a required \`reason\`): the findings they match are still reported, marked ignored with the reason, and no longer fail the command; an entry that matches nothing is listed as a warning.

      Exit code 1 when a finding is at the \`--fail-on\` level or worse (default error), ignored ones apart, or when a consumer is hurt; 0 otherwise. \`--markdown\` writes a pull-request comment.
    `,
    examples: [
      ['Two files', 'entente diff openapi.old.yaml openapi.yaml'],
      ['This branch against main', 'entente diff main:openapi.yaml openapi.yaml'],
      [
        'Against the published version, with consumer impact',
        'entente diff castle-service@1.4.0 openapi.yaml',
      ],
      [
        'Shipping an accepted breaking change',
        'entente diff --ignore diff-ignore.yaml main:openapi.yaml openapi.yaml',
      ],
      [
        'A pull-request comment, failing on warnings too',
        'entente diff --markdown --fail-on warning --provider castle-service main:openapi.yaml openapi.yaml',
      ],
    ],
  });

  base = Option.String({ name: 'base' });
  revision = Option.String({ name: 'revision' });
  provider = Option.String('--provider', {
    description:
      'Check the consumer contracts of this provider (default: the service of a service@version side)',
  });
  failOn = Option.String('--fail-on', 'error', {
    description: 'The finding level that fails (exit 1): error or warning',
    validator: t.isEnum(['error', 'warning'] as const),
  });
  markdown = Option.Boolean('--markdown', false, { description: 'Markdown for a pull-request comment' });
  ignore = Option.String('--ignore', {
    description:
      'A file of accepted changes (`ignore: [{ rule, operation, path, reason }]`): reported as ignored, not failing',
  });
  strict = Option.Boolean('--strict', false, {
    description:
      'Refuse a spec file that is not valid OpenAPI (by default it is compared, its errors listed as warnings)',
  });
  allowRemoteRefs = Option.Boolean('--allow-remote-refs', false, {
    description: 'Fetch and bundle http(s) $refs of spec files',
  });

  protected async run(): Promise<number> {
    const provider = this.provider === undefined ? undefined : serviceName(this.provider, '--provider');
    const contracts = await this.contracts();
    const { specChangeExitCode, specChangeToJson } = await import('../../openapi/diff/spec-change.js');
    const { renderSpecChangeMarkdown, renderSpecChangeText } = await import('../../render/spec-change.js');
    const progress = this.output.interactive
      ? (step: string) => this.output.stderr.write(`entente: ${step}…\n`)
      : undefined;
    const report = await contracts.diff({
      base: this.base,
      revision: this.revision,
      allowRemoteRefs: this.allowRemoteRefs,
      strict: this.strict,
      ...(this.ignore === undefined ? {} : { ignoreFile: this.ignore }),
      ...(provider ? { provider } : {}),
      ...(progress ? { onProgress: progress } : {}),
    });
    const exitCode = specChangeExitCode(report, this.failOn) === 1 ? ExitCode.ContractProblem : ExitCode.Ok;
    this.output.data({ ...specChangeToJson(report), failOn: this.failOn, exitCode });
    if (this.markdown) this.output.line(renderSpecChangeMarkdown(report));
    else
      this.output.line(
        renderSpecChangeText(report, { color: this.output.colors.isColorSupported }).trimEnd(),
      );
    return exitCode;
  }
}
