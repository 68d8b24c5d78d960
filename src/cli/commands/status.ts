import { Command, Option } from 'clipanion';
import { ExitCode } from '../../errors.js';
import { environmentName } from '../../model/names.js';
import { type Colors, table } from '../../render/table.js';
import type { EnvironmentMatrix } from '../../status/matrix.js';
import type { StatusReport } from '../../status/status.js';
import { EntenteCommand } from '../base.js';

const VERSIONS_SHOWN = 5;

export class StatusCommand extends EntenteCommand {
  static override paths = [['status']];
  static override usage = Command.Usage({
    description: 'show services, versions, specs, what is deployed where, and which versions are compatible',
    details: `
      Reads the contracts repository and shows every service with its versions in play — those deployed and the latest version of each branch — with their spec, the providers they have contracts with and where they are deployed, then every environment with the versions deployed there. \`--all-versions\` lists every version instead (it reads every version record, so it takes longer as the history grows). \`--json\` gives everything read.

      Then the compatibility matrix, per environment: each consumer version × provider version with a contract between them, the verification result, the static check result and the verdict can-i-deploy would give the pair. Only the versions in play are in it: those deployed in the environment and each service's latest version on a main branch (the repository policy's \`mainBranches\`, default main and master). \`--no-matrix\` leaves it out.
    `,
    examples: [
      ['Everything', 'entente status'],
      ['Only production', 'entente status --environment production'],
      ['For scripts', 'entente status --json'],
      ['Without the compatibility matrix', 'entente status --no-matrix'],
      ['Every version of every service', 'entente status --all-versions --no-matrix'],
    ],
  });

  environment = Option.String('--environment', {
    description: 'Only this environment and the services deployed there',
  });
  allVersions = Option.Boolean('--all-versions', false, {
    description: 'List every version, not only those deployed and the latest of each branch',
  });
  matrix = Option.Boolean('--matrix', true, {
    description: 'Show the compatibility matrix of each environment (--no-matrix to leave it out)',
  });

  protected async run(): Promise<number> {
    const environment = this.environment === undefined ? undefined : environmentName(this.environment);
    const store = await this.openStore();
    const { readStatus } = await import('../../status/status.js');
    const snapshot = await store.snapshot();
    const selection = environment ? { environment } : {};
    const { readMatrix } = await import('../../status/matrix.js');
    const [report, matrix] = await Promise.all([
      readStatus(snapshot, { ...selection, allVersions: this.allVersions }),
      this.matrix ? readMatrix(snapshot, selection) : undefined,
    ]);
    this.output.data({
      contracts: store.description,
      branch: store.branch,
      ...report,
      ...(matrix ? { matrix } : {}),
    });
    if (!this.output.json) {
      this.output.line(renderStatus(store.description, store.branch, report, this.output.colors));
      if (matrix) this.output.line(renderMatrix(matrix, this.output.colors));
    }
    return ExitCode.Ok;
  }
}

export function renderStatus(location: string, branch: string, report: StatusReport, colors: Colors): string {
  const lines = [
    `Contracts repository: ${location} (${branch}${report.commit ? ` @ ${report.commit.slice(0, 12)}` : ', empty'})`,
    '',
  ];
  if (report.services.length === 0) {
    lines.push('No services yet: publish a spec (entente publish-spec) or record a deployment to begin.');
    return lines.join('\n');
  }
  const rows: string[][] = [];
  for (const service of report.services) {
    const shown = service.versions.slice(0, VERSIONS_SHOWN);
    if (shown.length === 0) rows.push([service.service, '-', '', '', '', '']);
    shown.forEach((v, i) => {
      rows.push([
        i === 0 ? service.service : '',
        v.version,
        v.branch ?? '',
        v.spec ? `OpenAPI ${v.spec.openapi} ${v.spec.hash.slice(0, 8)}` : '',
        v.contracts.join(', '),
        v.deployedTo.join(', '),
      ]);
    });
    if (service.versions.length > VERSIONS_SHOWN) {
      rows.push(['', colors.dim(`… ${service.versions.length - VERSIONS_SHOWN} older`), '', '', '', '']);
    }
  }
  lines.push(table(['SERVICE', 'VERSION', 'BRANCH', 'SPEC', 'CONTRACTS WITH', 'DEPLOYED TO'], rows, colors));
  if (report.versions === 'deployed-and-latest') {
    lines.push(
      colors.dim('Versions deployed and the latest of each branch; --all-versions lists every one.'),
    );
  }
  if (report.environments.length > 0) {
    lines.push('');
    const envRows = report.environments.flatMap((e) =>
      e.services.map((s, i) => [
        i === 0 ? e.environment : '',
        s.service,
        s.versions.join(', ') || colors.dim('(none)'),
      ]),
    );
    lines.push(table(['ENVIRONMENT', 'SERVICE', 'DEPLOYED VERSIONS'], envRows, colors));
  }
  return lines.join('\n');
}

export function renderMatrix(matrix: EnvironmentMatrix[], colors: Colors): string {
  const lines: string[] = [];
  for (const { environment, versions, cells } of matrix) {
    if (cells.length === 0) continue;
    const marks = new Map(
      versions.map((v) => [
        `${v.service}@${v.version}`,
        `${v.deployed ? '*' : ''}${v.latestOnMain ? '^' : ''}`,
      ]),
    );
    const label = (service: string, version: string) => {
      const mark = marks.get(`${service}@${version}`);
      return `${service}@${version}${mark ? ` ${mark}` : ''}`;
    };
    const paint = (verdict: string) =>
      verdict === 'yes'
        ? colors.green(verdict)
        : verdict === 'no'
          ? colors.red(verdict)
          : colors.yellow(verdict);
    lines.push(
      '',
      `Compatibility in ${environment} (* deployed there, ^ latest on a main branch):`,
      table(
        ['CONSUMER', 'PROVIDER', 'VERIFICATION', 'STATIC', 'VERDICT'],
        cells.map((c) => [
          label(c.consumer, c.consumerVersion),
          label(c.provider, c.providerVersion),
          c.verification,
          c.static,
          paint(c.verdict),
        ]),
        colors,
      ),
    );
  }
  return lines.join('\n');
}
