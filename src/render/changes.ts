import type { ChangeEvent, CommitEvents } from '../changes/events.js';
import type { ChangesReport } from '../changes/read.js';

const short = (hash: string) => hash.slice(0, 8);

/** One event as a sentence; `code` wraps names (backticks in markdown). */
export function describeEvent(event: ChangeEvent, code: (text: string) => string = (t) => t): string {
  switch (event.kind) {
    case 'contract-published':
      return `${code(`${event.consumer}@${event.consumerVersion}`)}${event.branch ? ` (${event.branch})` : ''} published a contract with ${code(event.provider)} (${short(event.contract)})${event.needsVerification ? `: ${event.provider} has to verify it` : ', already known'}`;
    case 'spec-published':
      return `${code(`${event.provider}@${event.version}`)}${event.branch ? ` (${event.branch})` : ''} published its spec (${short(event.spec)})`;
    case 'verification-failed':
      return `${code(`${event.provider}@${event.providerVersion}`)} FAILED ${code(event.consumer)}'s contract (${short(event.contract)})${event.firstProblem ? `: ${event.firstProblem}` : ''}`;
    case 'verification-recovered':
      return `${code(`${event.provider}@${event.providerVersion}`)} now passes ${code(event.consumer)}'s contract (${short(event.contract)}) again`;
    case 'verification-passed':
      return `${code(`${event.provider}@${event.providerVersion}`)} passed ${code(event.consumer)}'s contract (${short(event.contract)})`;
    case 'deployed':
      return `${code(`${event.service}@${event.version}`)} deployed to ${code(event.environment)}`;
    case 'undeployed':
      return `${code(`${event.service}@${event.version}`)} undeployed from ${code(event.environment)}`;
    case 'fixtures-waiting':
      return `${event.count} draft ${event.count === 1 ? 'fixture' : 'fixtures'} of ${code(event.service)} wait for approval${event.testRun ? ` (test run ${code(event.testRun)}: entente fixtures approve --test-run ${event.testRun})` : ''}`;
  }
}

const withEvents = (commits: CommitEvents[]) => commits.filter((c) => c.events.length > 0);

export function renderChangesText(report: ChangesReport): string {
  const range = `${report.from ? short(report.from) : '(start)'}..${short(report.to)}`;
  const commits = withEvents(report.commits);
  const lines = [`Contracts repository changes ${range}: ${report.commits.length} commits`];
  if (commits.length === 0) lines.push('Nothing to report.');
  for (const commit of commits) {
    lines.push('', `${short(commit.commit)} ${commit.subject}`);
    for (const event of commit.events) lines.push(`  - ${describeEvent(event)}`);
  }
  if (report.triggers.length > 0) {
    lines.push('', 'Providers to trigger:');
    for (const t of report.triggers) lines.push(`  ${t.provider}: ${t.command}`);
  }
  return lines.join('\n');
}

export function renderChangesMarkdown(report: ChangesReport): string {
  const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;
  const commits = withEvents(report.commits);
  const lines = [
    `### Contracts repository: ${report.from ? code(short(report.from)) : 'start'}..${code(short(report.to))}`,
    '',
  ];
  if (commits.length === 0) lines.push('Nothing to report.');
  for (const commit of commits) {
    for (const event of commit.events) {
      const mark =
        event.kind === 'verification-failed'
          ? ':x:'
          : event.kind === 'verification-recovered'
            ? ':white_check_mark:'
            : '-';
      lines.push(
        `${mark === '-' ? '-' : `- ${mark}`} ${describeEvent(event, code)} (${code(short(commit.commit))})`,
      );
    }
  }
  if (report.triggers.length > 0) {
    lines.push('', '**Providers to trigger**', '');
    for (const t of report.triggers) lines.push(`- ${code(t.provider)}: ${code(t.command)}`);
  }
  return lines.join('\n');
}
