import { Command, Option } from 'clipanion';
import { ExitCode } from '../../errors.js';
import { environmentName } from '../../model/names.js';
import type { StatusReport } from '../../status/status.js';
import { EntenteCommand } from '../base.js';
import { type Colors, table } from '../output.js';

const VERSIONS_SHOWN = 5;

export class StatusCommand extends EntenteCommand {
  static override paths = [['status']];
  static override usage = Command.Usage({
    description: 'show services, versions, specs and what is deployed where',
    details: `
      Reads the contracts repository and shows every service with its most recent versions (their spec, the providers they have contracts with, where they are deployed), then every environment with the versions deployed there. \`--json\` gives everything, every version included.
    `,
    examples: [
      ['Everything', 'entente status'],
      ['Only production', 'entente status --environment production'],
      ['For scripts', 'entente status --json'],
    ],
  });

  environment = Option.String('--environment', {
    description: 'Only this environment and the services deployed there',
  });

  protected async run(): Promise<number> {
    const environment = this.environment === undefined ? undefined : environmentName(this.environment);
    const store = await this.openStore();
    const { readStatus } = await import('../../status/status.js');
    const report = await readStatus(await store.snapshot(), environment ? { environment } : {});
    this.output.data({ contracts: store.description, branch: store.branch, ...report });
    if (!this.output.json)
      this.output.line(renderStatus(store.description, store.branch, report, this.output.colors));
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
