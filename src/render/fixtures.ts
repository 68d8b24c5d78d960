/** Text renderings of the `entente fixtures` commands, for people. Stable for snapshots. */

import type { ProposeResult } from '../fixtures/propose.js';
import type { ReviewResult } from '../fixtures/review.js';
import { type FixtureStatus, fixtureCreatedAt, type StoredFixture } from '../fixtures/select.js';
import type { FixtureRecord } from '../model/records.js';
import type { PullRequestHost } from '../pull-request/pull-request.js';
import { type Colors, table } from './table.js';

/** What `fixtures list` prints. */
export function renderFixtureList(fixtures: readonly FixtureRecord[], colors: Colors): string[] {
  if (fixtures.length === 0) return ['No fixtures match.'];
  return [
    table(
      ['ID', 'SERVICE', 'OPERATION', 'STATUS', 'SOURCE', 'PRIORITY', 'CREATED', 'TEST RUN'],
      fixtures.map((f) => [
        f.id,
        f.service ?? '',
        f.operation,
        colorStatus(f.status, colors),
        f.source,
        String(f.priority),
        fixtureCreatedAt(f) ?? '',
        f.createdFrom?.testRun ?? '',
      ]),
      colors,
    ),
    `\n${fixtures.length} fixture${fixtures.length === 1 ? '' : 's'}.`,
  ];
}

/** What `fixtures show` prints: review state, provenance, then the exchange. */
export function renderFixture({ path, fixture }: StoredFixture, colors: Colors): string {
  const from = fixture.createdFrom;
  return [
    `${colors.bold(fixture.id)}  ${colorStatus(fixture.status, colors)}`,
    `  service:    ${fixture.service ?? ''}${fixture.serviceVersion ? `@${fixture.serviceVersion}` : ''}`,
    `  operation:  ${fixture.operation}`,
    `  source:     ${fixture.source} (priority ${fixture.priority})`,
    `  created:    ${fixtureCreatedAt(fixture) ?? ''}`,
    ...(from
      ? [
          `  from:       ${[from.type, from.consumer, from.testRun && `test run ${from.testRun}`, from.commit && `commit ${from.commit}`].filter(Boolean).join(', ')}`,
        ]
      : []),
    ...(fixture.approvedBy ? [`  approved:   by ${fixture.approvedBy} at ${fixture.approvedAt ?? ''}`] : []),
    ...(fixture.deprecationReason ? [`  deprecated: ${fixture.deprecationReason}`] : []),
    ...(fixture.notes ? [`  notes:      ${fixture.notes}`] : []),
    `  file:       ${path}`,
    '',
    `${fixture.data.request.method.toUpperCase()} ${fixture.data.request.path} → ${fixture.data.response.status}${fixture.partial ? ' (partial)' : ''}`,
    JSON.stringify(fixture.data, null, 2),
  ].join('\n');
}

/** What `fixtures propose` prints. */
export function renderProposed(result: ProposeResult, colors: Colors): string[] {
  const { proposed, existing } = result;
  return [
    `${colors.green('✔')} Proposed ${proposed.length} draft fixture${proposed.length === 1 ? '' : 's'} for ${result.service}@${result.serviceVersion}${existing.length ? ` (${existing.length} already stored)` : ''}.`,
    ...proposed.map((p) => `  ${p.id}  ${p.operation}`),
    ...existing.map((e) => `  ${e.id}  already stored (${e.status})`),
    ...(proposed.length
      ? ['Review them: entente fixtures approve --fixture-id <id> --approved-by <you>']
      : []),
  ];
}

/** What approve, reject, deprecate and update print; a pull request that could not be opened is a warning. */
export function renderReview(
  result: ReviewResult,
  host: PullRequestHost,
  colors: Colors,
): { lines: string[]; warnings: string[] } {
  const count = `${result.changes.length} fixture${result.changes.length === 1 ? '' : 's'}`;
  if (result.mode === 'none') {
    return {
      lines: [
        `Nothing to ${result.action}: no selected fixture needs it.`,
        ...result.unchanged.map((u) => `  ${u.id}: ${u.reason}`),
      ],
      warnings: [],
    };
  }
  const rows = result.changes.map((c) => [c.id, c.service, c.operation, `${c.from} → ${c.to}`]);
  const changes = table(['ID', 'SERVICE', 'OPERATION', 'STATUS'], rows, colors);
  if (result.mode === 'direct') {
    return {
      lines: [
        `${colors.green('✔')} ${capitalize(result.action)}: ${count} on ${result.base} (commit ${result.commit?.slice(0, 12)}).`,
        changes,
      ],
      warnings: [],
    };
  }
  const lines = [
    `${colors.green('✔')} Pushed branch ${colors.bold(result.branch ?? '')} (${result.action}: ${count}); merging it into ${result.base} is the approval.`,
    changes,
  ];
  const warnings: string[] = [];
  const pr = result.pullRequest;
  if (pr?.via === 'github-api' || pr?.via === 'gh') {
    lines.push(`Pull request${pr.number ? ` #${pr.number}` : ''}: ${pr.url ?? '(opened)'}`);
  } else if (pr?.via === 'gitlab-push-options') {
    lines.push(
      'GitLab opens the merge request from the push (push options); its link is in the push output.',
    );
  } else if (pr?.instructions) {
    warnings.push(
      host.kind === 'github' ? pr.instructions : `no pull request was opened: ${pr.instructions}`,
    );
  }
  return { lines, warnings };
}

export function colorStatus(status: FixtureStatus, colors: Colors): string {
  return status === 'approved'
    ? colors.green(status)
    : status === 'draft'
      ? colors.yellow(status)
      : colors.dim(status);
}

function capitalize(action: string): string {
  return `${action[0]!.toUpperCase()}${action.slice(1)}${action.endsWith('e') ? 'd' : 'ed'}`;
}
