/** Text renderings of the deploy gate and of recorded (un)deployments, for people. Stable for snapshots. */

import type { RecordDeploymentResult, RecordUndeploymentResult } from '../deploy/record-deployment.js';
import type { CanIDeployResult, PairResult, Verdict } from '../deploy/verdict.js';
import { type Colors, table } from './table.js';

export function renderCanIDeploy(result: CanIDeployResult, colors: Colors): string {
  const lines: string[] = [];
  if (result.pairs.length > 0) {
    const rows = result.pairs.map((pair) => [
      `${pair.consumer}@${pair.consumerVersion}`,
      pair.providerVersion === undefined ? pair.provider : `${pair.provider}@${pair.providerVersion}`,
      verdictCell(pair, colors),
      pair.reason,
    ]);
    lines.push(table(['CONSUMER', 'PROVIDER', 'VERDICT', 'REASON'], rows, colors), '');
    const failing = result.pairs.filter((p) => p.static === 'failed' && p.verdict === 'no');
    for (const pair of failing) {
      lines.push(
        `Static check of ${pair.consumer}@${pair.consumerVersion} against ${pair.provider}@${pair.providerVersion}:`,
      );
      for (const finding of pair.findings.filter((f) => f.level === 'error')) {
        lines.push(
          `  ${finding.code} ${finding.operation}${finding.path ? ` ${finding.path}` : ''}: ${finding.message}`,
        );
      }
      lines.push('');
    }
  }
  const mark: Record<Verdict, string> = {
    yes: colors.green('✔ yes:'),
    no: colors.red('✘ no:'),
    unknown: colors.yellow('? unknown:'),
  };
  lines.push(`${mark[result.verdict]} ${result.summary} (policy: ${result.policy}).`);
  return lines.join('\n');
}

function verdictCell(pair: PairResult, colors: Colors): string {
  const paint = pair.verdict === 'yes' ? colors.green : pair.verdict === 'no' ? colors.red : colors.yellow;
  return pair.ignored ? colors.dim(`${pair.verdict} (ignored)`) : paint(pair.verdict);
}

/** The warning about files in the repository the gate left out; undefined when there are none. */
export function describeIgnoredFiles(files: readonly string[]): string | undefined {
  if (files.length === 0) return undefined;
  return `left out ${files.length} file name${files.length === 1 ? '' : 's'} entente could not have written: ${files.map((f) => JSON.stringify(f)).join(', ')}`;
}

/** The line said while can-i-deploy waits to read the repository again. */
export function describeRetry(
  summary: string,
  intervalSeconds: number,
  retry: number,
  retries: number,
): string {
  return `${summary}; reading again in ${intervalSeconds}s (retry ${retry} of ${retries})`;
}

export function renderDeployment(
  result: RecordDeploymentResult,
  colors: Colors,
): {
  warnings: string[];
  text: string;
} {
  const what = `${result.service}@${result.version}`;
  const warnings = result.versionKnown
    ? []
    : [`${what} has no spec or contracts in the contracts repository`];
  if (!result.recorded) {
    return { warnings, text: `${what} is already deployed in ${result.environment}: nothing to record.` };
  }
  const replaced = result.replaced.length ? ` (replaces ${result.replaced.join(', ')})` : '';
  return {
    warnings,
    text: `${colors.green('✔')} Recorded ${colors.bold(what)} in ${colors.bold(result.environment)}${replaced}.`,
  };
}

/** A recorded undeployment is a line; one that found nothing to take out is a warning. */
export function renderUndeployment(
  result: RecordUndeploymentResult,
  version: string | undefined,
  colors: Colors,
): { warnings: string[]; text?: string } {
  if (!result.recorded) {
    const what = version ? `${result.service}@${version}` : result.service;
    return { warnings: [`${what} is not deployed in ${result.environment}: nothing to record`] };
  }
  return {
    warnings: [],
    text: `${colors.green('✔')} Recorded ${result.removed.map((v) => `${result.service}@${v}`).join(', ')} out of ${result.environment}.`,
  };
}
