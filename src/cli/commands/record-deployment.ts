import { Command, Option } from 'clipanion';
import { ExitCode } from '../../errors.js';
import { EntenteCommand } from '../base.js';

export class RecordDeploymentCommand extends EntenteCommand {
  static override paths = [['record-deployment']];
  static override usage = Command.Usage({
    description: 'record that a version of a service is now deployed in an environment',
    details: `
      Records the deployment in the contracts repository (one commit). The version replaces whatever version of the service was deployed there before, unless \`--keep-others\` says the service runs several versions at once. The history of deployments is kept.

      Recording a version that is already deployed there changes nothing.

      A typo cannot rewrite what runs where. The environment must be known: declared in the contracts repository's \`entente.yml\`, or one where a deployment was already recorded; the first deployment to a new environment says so with \`--new-environment\` (when \`entente.yml\` declares its environments, that list decides). The version must be known too (a spec or contracts were published for it): recording a version, or a service, the repository has no record of is refused unless \`--allow-unknown-version\`. Refusals exit 3 with the known names and the closest ones.

      \`--service\` and \`--version\` default to the project's configuration (\`.entente.yml\`, \`package.json\`, git).
    `,
    examples: [
      [
        'Record a deployment to production',
        'entente record-deployment --service castle-service --version 1.2.0 --environment production',
      ],
      [
        'The first deployment to a new environment',
        'entente record-deployment --service castle-service --version 1.2.0 --environment staging --new-environment',
      ],
      [
        'Run a second version beside the first',
        'entente record-deployment --service castle-service --version 2.0.0 --environment production --keep-others',
      ],
    ],
  });

  service = Option.String('--service', { description: 'The service deployed (default: from configuration)' });
  version = Option.String('--version', { description: 'The version deployed (default: from configuration)' });
  environment = Option.String('--environment', { required: true, description: 'Where it was deployed' });
  deployedBy = Option.String('--deployed-by', { description: 'Who or what deployed it' });
  keepOthers = Option.Boolean('--keep-others', false, {
    description: 'Keep the versions already deployed there (several versions run at once)',
  });

  newEnvironment = Option.Boolean('--new-environment', false, {
    description: 'The environment is new: this deployment introduces it',
  });
  allowUnknownVersion = Option.Boolean('--allow-unknown-version', false, {
    description: 'Record a version (or service) the contracts repository has no record of',
  });

  protected override configFlags() {
    return { service: this.service, version: this.version };
  }

  protected async run(): Promise<number> {
    const result = await (await this.contracts()).recordDeployment({
      environment: this.environment,
      ...(this.deployedBy ? { by: this.deployedBy } : {}),
      keepOthers: this.keepOthers,
      newEnvironment: this.newEnvironment,
      allowUnknownVersion: this.allowUnknownVersion,
    });
    this.output.data(result);
    const { renderDeployment } = await import('../../render/deploy.js');
    const { warnings, text } = renderDeployment(result, this.output.colors);
    for (const warning of warnings) this.output.warn(warning);
    this.output.line(text);
    return ExitCode.Ok;
  }
}
