import { Command, Option } from 'clipanion';
import { ExitCode } from '../../errors.js';
import { EntenteCommand } from '../base.js';

export class RecordUndeploymentCommand extends EntenteCommand {
  static override paths = [['record-undeployment']];
  static override usage = Command.Usage({
    description: 'record that a service (or one of its versions) no longer runs in an environment',
    details: `
      Takes the version (or, without \`--version\`, every version of the service) out of the environment in the contracts repository. The history keeps the undeployment. When nothing matching is deployed there, nothing is recorded and a warning says so.
    `,
    examples: [
      [
        'Take a service out of staging',
        'entente record-undeployment --service castle-service --environment staging',
      ],
      [
        'Stop one of several versions',
        'entente record-undeployment --service castle-service --version 1.2.0 --environment production',
      ],
    ],
  });

  service = Option.String('--service', { description: 'The service (default: from configuration)' });
  version = Option.String('--version', {
    description: 'Only this version (default: every version deployed there)',
  });
  environment = Option.String('--environment', { required: true, description: 'The environment' });
  undeployedBy = Option.String('--undeployed-by', { description: 'Who or what took it out' });

  protected override configFlags() {
    return { service: this.service };
  }

  protected async run(): Promise<number> {
    const result = await (await this.contracts()).recordUndeployment({
      environment: this.environment,
      ...(this.version === undefined ? {} : { version: this.version }),
      ...(this.undeployedBy ? { by: this.undeployedBy } : {}),
    });
    this.output.data(result);
    const { renderUndeployment } = await import('../../render/deploy.js');
    const { warnings, text } = renderUndeployment(result, this.version, this.output.colors);
    for (const warning of warnings) this.output.warn(warning);
    if (text !== undefined) this.output.line(text);
    return ExitCode.Ok;
  }
}
