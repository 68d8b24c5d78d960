import { Command, Option } from 'clipanion';
import * as t from 'typanion';
import { ExitCode } from '../../errors.js';
import { serviceName } from '../../model/names.js';
import { describeOfflineSource } from '../../render/offline.js';
import { EntenteCommand } from '../base.js';

export class CanIDeployCommand extends EntenteCommand {
  static override paths = [['can-i-deploy']];
  static override usage = Command.Usage({
    description: 'tell whether a version of a service can be deployed to an environment',
    details: `
      Checks the version both ways. As a consumer: every provider it has a contract with must be deployed in the environment at a version compatible with that contract. As a provider: every consumer version deployed there must be compatible with it. A pair is compatible when a verification of the contract by the provider version passed, or, where the contracts repository's \`entente.yml\` allows it (\`compatibility: verified | static | verified-or-static\`, default verified-or-static), when the contract passes a static check against the provider version's spec. A failed verification is always a no.

      Prints every pair with its verdict and reason. Exit code 0: yes, deploy; 1: no; 2: unknown (a result is missing). \`--retry-while-unknown N\` reads the repository again (a fresh fetch) up to N more times, \`--retry-interval\` seconds apart, while the answer is unknown. \`--dry-run\` prints the verdict and exits 0 whatever it is.

      It answers from the remote's current state: when the contracts repository cannot be fetched it exits 4 without a verdict. \`--offline\` answers from the last fetched copy instead and says from which commit and how old it is.

      \`--service\` and \`--version\` default to the project's configuration (\`.entente.yml\`, \`package.json\`, git). See docs/can-i-deploy.md.
    `,
    examples: [
      [
        'Before deploying to production',
        'entente can-i-deploy --service castle-service --version 1.2.0 --environment production',
      ],
      [
        'Wait up to 10 minutes for verifications to land',
        'entente can-i-deploy --environment production --retry-while-unknown 20 --retry-interval 30',
      ],
      [
        'Ignore a partner that is being retired',
        'entente can-i-deploy --environment staging --ignore legacy-billing',
      ],
      [
        'See the verdict without failing the pipeline',
        'entente can-i-deploy --environment production --dry-run',
      ],
      ['For scripts', 'entente can-i-deploy --environment production --json'],
      [
        'Without network, from the last fetched copy',
        'entente can-i-deploy --environment production --offline',
      ],
    ],
  });

  service = Option.String('--service', {
    description: 'The service to deploy (default: from configuration)',
  });
  version = Option.String('--version', {
    description: 'The version to deploy (default: from configuration)',
  });
  environment = Option.String('--environment', { required: true, description: 'Where it would be deployed' });
  ignore = Option.Array('--ignore', [], {
    description: 'A partner service whose pairs do not count (repeatable)',
  });
  retryWhileUnknown = Option.String('--retry-while-unknown', '0', {
    description: 'Read the repository again up to N times while the verdict is unknown',
    validator: t.cascade(t.isNumber(), [t.isInteger(), t.isAtLeast(0)]),
  });
  retryInterval = Option.String('--retry-interval', '10', {
    description: 'Seconds between those reads (default 10)',
    validator: t.cascade(t.isNumber(), [t.isAtLeast(0)]),
  });
  dryRun = Option.Boolean('--dry-run', false, { description: 'Print the verdict and exit 0 whatever it is' });
  offline = Option.Boolean('--offline', false, {
    description: 'Answer from the last fetched copy of the contracts repository, saying how old it is',
  });

  protected override configFlags() {
    return { service: this.service, version: this.version };
  }

  protected async run(): Promise<number> {
    const ignore = this.ignore.map((name) => serviceName(name, '--ignore'));
    const contracts = await this.contracts();
    const { describeIgnoredFiles, describeRetry, renderCanIDeploy } = await import('../../render/deploy.js');
    const { verdictExitCode } = await import('../../deploy/verdict.js');
    const result = await contracts.canIDeploy({
      environment: this.environment,
      ignore,
      retryWhileUnknown: this.retryWhileUnknown,
      retryIntervalSeconds: this.retryInterval,
      freshness: this.offline ? 'offline' : 'fresh',
      onRetry: (unknown, retry) => {
        if (this.output.interactive) {
          this.output.stderr.write(
            `${describeRetry(unknown.summary, this.retryInterval, retry, this.retryWhileUnknown)}\n`,
          );
        }
      },
    });
    const ignored = describeIgnoredFiles(result.ignoredFiles);
    if (ignored) this.output.warn(ignored);
    const exitCode = verdictExitCode(result.verdict);
    this.output.data({ ...result, exitCode, dryRun: this.dryRun });
    if (!this.output.json) {
      this.output.line(renderCanIDeploy(result, this.output.colors));
      if (result.source.offline) this.output.line(describeOfflineSource(result.source, contracts.location));
      if (this.dryRun) this.output.line(`Dry run: exiting 0 instead of ${exitCode}.`);
    }
    return this.dryRun ? ExitCode.Ok : exitCode;
  }
}
