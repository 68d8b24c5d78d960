/** Text renderings of verification results and pending contracts, for people. Stable for snapshots. */

import type { Mismatch } from '../model/records.js';
import type { PendingReport } from '../verify/pending.js';
import type { InteractionOutcome } from '../verify/run.js';
import { describeReason, type SelectedVersion } from '../verify/select.js';
import type { VerifyResult } from '../verify/verify.js';
import { type Colors, table } from './table.js';

export function renderVerifyResult(result: VerifyResult, location: string, colors: Colors): string {
  const lines: string[] = [];
  const { summary } = result;
  if (summary.contracts === 0) {
    lines.push(
      `Nothing to verify: no consumer contract of ${result.provider} matches (consumers' main branches and deployed versions).`,
    );
    return [...lines, ...result.warnings.map((w) => colors.yellow(`warning: ${w}`))].join('\n');
  }
  lines.push(
    `Verified ${colors.bold(`${result.provider}@${result.providerVersion}`)} at ${result.baseUrl} against ${plural(summary.contracts, 'contract')} (${plural(summary.interactions, 'interaction')}).`,
  );
  lines.push(
    result.spec
      ? `Responses checked against the spec of ${result.provider}@${result.spec.version} (${result.spec.hash.slice(0, 12)}).`
      : 'Responses not checked against a spec (none published for this version).',
  );
  for (const contract of result.contracts) {
    const failed = contract.interactions.filter((i) => !i.success).length;
    const mark = contract.success
      ? colors.green('✔')
      : contract.pending
        ? colors.yellow('!')
        : colors.red('✘');
    const counts = contract.success
      ? `${plural(contract.interactions.length, 'interaction')} passed`
      : `${failed} of ${plural(contract.interactions.length, 'interaction')} failed`;
    const pendingNote = contract.pending
      ? contract.success
        ? ' (pending until now: from now on it is held like any other)'
        : ` (pending: no version of ${result.provider} has verified it successfully yet${result.success ? ', so it does not fail this verification' : ''})`
      : '';
    lines.push('');
    lines.push(
      `${mark} ${colors.bold(contract.consumer)} contract ${contract.contract.slice(0, 12)} (${describeVersions(contract.consumerVersions)}): ${counts}${pendingNote}`,
    );
    for (const interaction of contract.interactions) {
      if (interaction.success && interaction.specDrift.length === 0) continue;
      lines.push(...renderInteraction(interaction, colors));
    }
  }
  lines.push('');
  const heldFailed = summary.failed - summary.pendingFailed;
  lines.push(
    summary.failed === 0
      ? `${colors.green('✔')} All ${plural(summary.interactions, 'interaction')} passed.`
      : result.success
        ? `${colors.yellow('!')} ${summary.failed} of ${plural(summary.interactions, 'interaction')} failed, all in pending contracts: the verification passes (--fail-on-pending to fail it).`
        : `${colors.red('✘')} ${summary.failed} of ${plural(summary.interactions, 'interaction')} failed${summary.pendingFailed > 0 && heldFailed > 0 ? ` (${summary.pendingFailed} in pending contracts)` : ''}.`,
  );
  if (summary.specDrift > 0) {
    lines.push(
      `${colors.yellow('!')} ${plural(summary.specDrift, 'response')} did not fit the provider's own spec (spec drift).`,
    );
  }
  if (result.published) {
    const { commit, verifications, fixtureDrafts } = result.published;
    lines.push(
      `Recorded ${plural(verifications, 'verification result')} and ${plural(fixtureDrafts, 'provider fixture draft')} in ${location}${commit ? ` (${commit.slice(0, 12)})` : ''}.`,
    );
  } else {
    lines.push('Results not recorded (--no-publish).');
  }
  for (const warning of result.warnings) lines.push(colors.yellow(`warning: ${warning}`));
  return lines.join('\n');
}

function renderInteraction(interaction: InteractionOutcome, colors: Colors): string[] {
  const mark = interaction.success ? colors.yellow('!') : colors.red('✘');
  const given = interaction.given?.length
    ? ` given ${interaction.given.map((g) => JSON.stringify(g.state)).join(', ')}`
    : '';
  const lines = [
    `  ${mark} ${interaction.operation} ${interaction.request.method} ${interaction.request.path}${given} (${interaction.id.slice(0, 12)})`,
  ];
  if (interaction.error !== undefined) lines.push(`      error: ${interaction.error}`);
  for (const mismatch of interaction.mismatches) lines.push(...renderMismatch(mismatch));
  if (interaction.specDrift.length > 0) {
    lines.push("      spec drift (the response does not fit the provider's own spec):");
    for (const drift of interaction.specDrift) lines.push(`        ${drift.message}`);
  }
  return lines;
}

function renderMismatch(mismatch: Mismatch): string[] {
  const lines = [`      ${mismatch.message}`];
  if (mismatch.expected !== undefined) lines.push(`        expected: ${JSON.stringify(mismatch.expected)}`);
  if (mismatch.expected !== undefined || mismatch.actual !== undefined)
    lines.push(
      `        actual:   ${mismatch.actual === undefined ? '(missing)' : JSON.stringify(mismatch.actual)}`,
    );
  return lines;
}

/** `1.0.0 on main, deployed in production; 0.9.0 deployed in staging` */
function describeVersions(versions: SelectedVersion[]): string {
  return versions
    .map((v) => {
      const branches = v.reasons.filter((r) => r.kind === 'branch' || r.kind === 'wip').map(describeReason);
      const environments = v.reasons.filter((r) => r.kind === 'deployed').map(describeReason);
      const parts = [
        ...(branches.length ? [`on ${branches.join(', ')}`] : []),
        ...(environments.length ? [`deployed in ${environments.join(', ')}`] : []),
      ];
      return parts.length ? `${v.version} ${parts.join(', ')}` : v.version;
    })
    .join('; ');
}

export function renderPending(report: PendingReport, colors: Colors): string {
  const against = report.providerVersion
    ? `${report.provider}@${report.providerVersion} (latest on ${report.branch})`
    : `${report.provider} (no version on a main branch yet)`;
  if (report.pending.length === 0) {
    return `${colors.green('✔')} Nothing pending: ${against} has verified all ${plural(report.verified, 'contract')} of its consumers' main branches and deployed versions.`;
  }
  const rows = report.pending.map((p) => [
    p.consumer,
    describeVersions(p.consumerVersions),
    p.contract.slice(0, 12),
    String(p.interactions),
  ]);
  return [
    `${plural(report.pending.length, 'contract')} not verified yet by ${against}:`,
    '',
    table(['CONSUMER', 'VERSIONS', 'CONTRACT', 'INTERACTIONS'], rows, colors),
    '',
    `Run \`entente verify --provider ${report.provider} --base-url <url>\` to verify them.`,
  ].join('\n');
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
