import pc from 'picocolors';
import type { DiffFinding } from '../openapi/diff/findings.js';
import type { DiffLevel } from '../openapi/diff/rules.js';
import { type DiffSummary, summarizeDiff } from '../openapi/diff/summary.js';

const LEVELS: readonly DiffLevel[] = ['error', 'warning', 'info'];

/** Findings for a terminal: errors first, one block per finding, then the totals. */
export function renderDiffText(findings: readonly DiffFinding[], options: { color?: boolean } = {}): string {
  const c = pc.createColors(options.color ?? false);
  const paint: Record<DiffLevel, (text: string) => string> = { error: c.red, warning: c.yellow, info: c.dim };
  const lines: string[] = [];
  const block = (finding: DiffFinding, label: string) => {
    const where = finding.operation ? `  ${c.bold(operationLabel(finding))}` : '';
    lines.push(`${label} ${finding.rule}${where}`);
    lines.push(`        ${finding.message}`);
    if (finding.counterexample) lines.push(`        ${counterexampleLine(finding)}`);
    lines.push(`        ${c.dim(`at ${finding.location}`)}`);
  };
  for (const finding of byLevel(findings.filter((f) => !f.ignored))) {
    block(finding, paint[finding.level](finding.level.padEnd(7)));
  }
  const ignored = byLevel(findings.filter((f) => f.ignored));
  if (ignored.length > 0) {
    if (lines.length > 0) lines.push('');
    lines.push(`Ignored (accepted in the ignore file, ${ignored.length}):`);
    for (const finding of ignored) {
      block(finding, c.dim('ignored'));
      lines.push(`        ${c.dim(`(was ${finding.level}) accepted: ${finding.ignored!.reason}`)}`);
    }
  }
  if (lines.length > 0) lines.push('');
  lines.push(
    findings.length === 0 ? 'No changes found.' : summaryLine(summarizeDiff(findings), ignored.length),
  );
  return `${lines.join('\n')}\n`;
}

/** A pull-request comment: the totals, then a table per level (info folded away). */
export function renderDiffMarkdown(findings: readonly DiffFinding[]): string {
  const summary = summarizeDiff(findings);
  const ignored = findings.filter((finding) => finding.ignored);
  const out: string[] = [`### API changes: ${summaryLine(summary, ignored.length)}`, ''];
  if (findings.length === 0) {
    out.push('No changes between the two specs.', '');
    return out.join('\n');
  }
  const headings: Record<DiffLevel, string> = {
    error: 'Breaking changes',
    warning: 'Warnings',
    info: 'Other changes',
  };
  for (const level of LEVELS) {
    const ofLevel = findings.filter((finding) => finding.level === level && !finding.ignored);
    if (ofLevel.length === 0) continue;
    const table = [
      '| Rule | Operation | Change |',
      '| --- | --- | --- |',
      ...ofLevel.map(
        (finding) =>
          `| \`${finding.rule}\` | ${
            finding.operation ? `\`${cell(operationLabel(finding))}\`` : ''
          } | ${cell(finding.message)}${finding.counterexample ? `<br>${cell(counterexampleLine(finding, '`'))}` : ''} |`,
      ),
    ];
    const title = `${headings[level]} (${ofLevel.length})`;
    if (level === 'info') {
      out.push('<details>', `<summary>${title}</summary>`, '', ...table, '', '</details>', '');
    } else {
      out.push(`#### ${title}`, '', ...table, '');
    }
  }
  if (ignored.length > 0) {
    out.push(
      '<details>',
      `<summary>Ignored: accepted in the ignore file (${ignored.length})</summary>`,
      '',
      '| Rule | Level | Operation | Change | Reason |',
      '| --- | --- | --- | --- | --- |',
      ...ignored.map(
        (finding) =>
          `| \`${finding.rule}\` | ${finding.level} | ${finding.operation ? `\`${cell(operationLabel(finding))}\`` : ''} | ${cell(finding.message)} | ${cell(finding.ignored!.reason)} |`,
      ),
      '',
      '</details>',
      '',
    );
  }
  return out.join('\n');
}

/** Longer counterexamples are cut in text and Markdown; `--json` has them whole. */
const MAX_COUNTEREXAMPLE_SHOWN = 120;

/** `e.g. {"stock":"a"}: the base accepts it, the revision refuses it`. */
export function counterexampleLine(finding: DiffFinding, quote = ''): string {
  const example = finding.counterexample;
  if (!example) return '';
  let json = JSON.stringify(example.instance) ?? 'undefined';
  if (json.length > MAX_COUNTEREXAMPLE_SHOWN) json = `${json.slice(0, MAX_COUNTEREXAMPLE_SHOWN)}…`;
  const proof =
    example.acceptedBy === 'base'
      ? 'the base accepts it, the revision refuses it'
      : 'the revision allows it, the base did not';
  return `e.g. ${quote}${json}${quote}: ${proof}`;
}

function byLevel(findings: readonly DiffFinding[]): DiffFinding[] {
  return LEVELS.flatMap((level) => findings.filter((finding) => finding.level === level));
}

/** `GET /castles/{id} (getCastle)`: how renderers name a finding's operation. */
export function operationLabel(finding: DiffFinding): string {
  const operation = finding.operation;
  if (!operation) return '';
  const label = `${operation.method} ${operation.path}`;
  return operation.operationId ? `${label} (${operation.operationId})` : label;
}

function summaryLine(summary: DiffSummary, ignored = 0): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const line = `${plural(summary.error, 'error')}, ${plural(summary.warning, 'warning')}, ${summary.info} info`;
  return ignored > 0 ? `${line}, ${ignored} ignored` : line;
}

/** Text safe inside a Markdown table cell. */
export function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
