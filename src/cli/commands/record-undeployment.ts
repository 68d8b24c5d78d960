import { Command, Option } from 'clipanion';
import { requireService } from '../../config/require.js';
import { ExitCode } from '../../errors.js';
import { environmentName, versionName } from '../../model/names.js';
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
    const config = await this.config();
    const service = requireService(config);
    const environment = environmentName(this.environment);
    const version = this.version === undefined ? undefined : versionName(this.version);
    const { recordUndeployment } = await import('../../deploy/record-deployment.js');
    const result = await recordUndeployment(await this.openStore(), {
      service,
      environment,
      ...(version ? { version } : {}),
      at: this.now(config.env),
      ...(this.undeployedBy ? { by: this.undeployedBy } : {}),
    });
    this.output.data(result);
    const what = version ? `${service}@${version}` : service;
    if (!result.recorded) {
      this.output.warn(`${what} is not deployed in ${environment}: nothing to record`);
    } else {
      this.output.line(
        `${this.output.colors.green('✔')} Recorded ${result.removed.map((v) => `${service}@${v}`).join(', ')} out of ${environment}.`,
      );
    }
    return ExitCode.Ok;
  }
}
