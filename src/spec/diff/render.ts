import pc from 'picocolors';
import type { DiffFinding } from './findings.js';
import { type DiffLevel, RULE_IDS, type RuleId } from './rules.js';

export type DiffSummary = Record<DiffLevel, number>;

export interface DiffJson {
  summary: DiffSummary;
  /** Findings per rule, for the rules that have any, in registry order. */
  counts: Partial<Record<RuleId, number>>;
  findings: DiffFinding[];
}

const LEVELS: readonly DiffLevel[] = ['error', 'warning', 'info'];

export function summarizeDiff(findings: readonly DiffFinding[]): DiffSummary {
  const summary: DiffSummary = { error: 0, warning: 0, info: 0 };
  for (const finding of findings) summary[finding.level]++;
  return summary;
}

export function countDiffRules(findings: readonly DiffFinding[]): Partial<Record<RuleId, number>> {
  const counts = new Map<RuleId, number>();
  for (const finding of findings) counts.set(finding.rule, (counts.get(finding.rule) ?? 0) + 1);
  const out: Partial<Record<RuleId, number>> = {};
  for (const rule of RULE_IDS) {
    const count = counts.get(rule);
    if (count) out[rule] = count;
  }
  return out;
}

/** 1 when a finding is at `failOn` level or worse, else 0. */
export function diffExitCode(findings: readonly DiffFinding[], failOn: 'error' | 'warning'): 0 | 1 {
  const failing: ReadonlySet<DiffLevel> = new Set(failOn === 'error' ? ['error'] : ['error', 'warning']);
  return findings.some((finding) => failing.has(finding.level)) ? 1 : 0;
}

export function diffToJson(findings: readonly DiffFinding[]): DiffJson {
  return { summary: summarizeDiff(findings), counts: countDiffRules(findings), findings: [...findings] };
}

/** Findings for a terminal: errors first, one block per finding, then the totals. */
export function renderDiffText(findings: readonly DiffFinding[], options: { color?: boolean } = {}): string {
  const c = pc.createColors(options.color ?? false);
  const paint: Record<DiffLevel, (text: string) => string> = { error: c.red, warning: c.yellow, info: c.dim };
  const lines: string[] = [];
  for (const finding of byLevel(findings)) {
    const where = finding.operation ? `  ${c.bold(operationLabel(finding))}` : '';
    lines.push(`${paint[finding.level](finding.level.padEnd(7))} ${finding.rule}${where}`);
    lines.push(`        ${finding.message}`);
    if (finding.counterexample) lines.push(`        ${counterexampleLine(finding)}`);
    lines.push(`        ${c.dim(`at ${finding.location}`)}`);
  }
  if (lines.length > 0) lines.push('');
  lines.push(findings.length === 0 ? 'No changes found.' : summaryLine(summarizeDiff(findings)));
  return `${lines.join('\n')}\n`;
}

/** A pull-request comment: the totals, then a table per level (info folded away). */
export function renderDiffMarkdown(findings: readonly DiffFinding[]): string {
  const summary = summarizeDiff(findings);
  const out: string[] = [`### API changes: ${summaryLine(summary)}`, ''];
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
    const ofLevel = findings.filter((finding) => finding.level === level);
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

function summaryLine(summary: DiffSummary): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(summary.error, 'error')}, ${plural(summary.warning, 'warning')}, ${summary.info} info`;
}

/** Text safe inside a Markdown table cell. */
export function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
