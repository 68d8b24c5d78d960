/** Text renderings of `entente status`: services and environments, then the compatibility matrix. */

import type { EnvironmentMatrix } from '../status/matrix.js';
import type { StatusReport } from '../status/status.js';
import { type Colors, table } from './table.js';

const VERSIONS_SHOWN = 5;

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
