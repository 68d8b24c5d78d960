/** What a diff's findings add up to: per level, per rule, the exit code and the JSON shape. */
import type { DiffFinding } from './findings.js';
import { type DiffLevel, RULE_IDS, type RuleId } from './rules.js';

export type DiffSummary = Record<DiffLevel, number>;

export interface DiffJson {
  /** Findings per level, those an ignore file accepts left out. */
  summary: DiffSummary;
  /** How many findings an ignore file accepts (each has `ignored.reason`). */
  ignored: number;
  /** Findings per rule, for the rules that have any, in registry order. */
  counts: Partial<Record<RuleId, number>>;
  findings: DiffFinding[];
}

export function summarizeDiff(findings: readonly DiffFinding[]): DiffSummary {
  const summary: DiffSummary = { error: 0, warning: 0, info: 0 };
  for (const finding of findings) if (!finding.ignored) summary[finding.level]++;
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
  return findings.some((finding) => !finding.ignored && failing.has(finding.level)) ? 1 : 0;
}

export function diffToJson(findings: readonly DiffFinding[]): DiffJson {
  return {
    summary: summarizeDiff(findings),
    ignored: findings.filter((finding) => finding.ignored).length,
    counts: countDiffRules(findings),
    findings: [...findings],
  };
}
