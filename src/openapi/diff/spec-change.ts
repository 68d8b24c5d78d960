/**
 * A spec change checked both ways: the generic rules, then what it does to
 * the real consumer contracts. Data in, report out; the renderers are in
 * src/render/spec-change.ts.
 */

import type { OpenApiDocument } from '../document.js';
import type { ConsumerContract } from './consumer-impact.js';
import { type ConsumerImpact, consumerImpact } from './consumer-impact.js';
import { diffSpecs } from './diff-specs.js';
import type { DiffFinding } from './findings.js';
import { applyDiffIgnore, type DiffIgnoreEntry } from './ignore.js';
import { type DiffJson, diffExitCode, diffToJson } from './summary.js';

export type FailOn = 'error' | 'warning';

export interface SpecChangeReport {
  base: string;
  revision: string;
  findings: DiffFinding[];
  /** What is wrong with either document (validation errors of a lenient load), compared anyway. */
  inputWarnings: string[];
  /** Present when the provider's consumer contracts were considered. */
  impact?: ConsumerImpact;
}

export interface SpecChangeInput {
  base: { label: string; document: OpenApiDocument; warnings?: readonly string[] };
  revision: { label: string; document: OpenApiDocument; warnings?: readonly string[] };
  /** Accepted changes (an ignore file's entries) and the file they came from. */
  ignore?: { file: string; entries: readonly DiffIgnoreEntry[] };
  /** The provider and its consumer contracts, when known. */
  consumers?: { provider: string; contracts: readonly ConsumerContract[] };
}

export function checkSpecChange(input: SpecChangeInput): SpecChangeReport {
  const compared = diffSpecs(input.base.document, input.revision.document);
  const ignore = input.ignore;
  const { findings, unused } = ignore
    ? applyDiffIgnore(compared, ignore.entries)
    : { findings: compared, unused: [] };
  const unusedWarnings = unused.map(
    (entry) =>
      `${ignore!.file}#/ignore/${ignore!.entries.indexOf(entry)} matches no finding (${entry.rule}${entry.operation ? ` ${entry.operation}` : ''}${entry.path ? ` ${entry.path}` : ''})`,
  );
  return {
    base: input.base.label,
    revision: input.revision.label,
    findings,
    inputWarnings: [
      ...new Set([...(input.base.warnings ?? []), ...(input.revision.warnings ?? []), ...unusedWarnings]),
    ],
    ...(input.consumers
      ? {
          impact: consumerImpact(
            input.consumers.provider,
            findings,
            input.consumers.contracts,
            input.base.document,
            input.revision.document,
          ),
        }
      : {}),
  };
}

/** 1 when a finding is at `failOn` level or worse, or when a consumer is hurt (whatever the level of what hurts it). */
export function specChangeExitCode(report: SpecChangeReport, failOn: FailOn): 0 | 1 {
  if ((report.impact?.hurt.length ?? 0) > 0) return 1;
  return diffExitCode(report.findings, failOn);
}

export type SpecChangeJson = { base: string; revision: string; inputWarnings: string[] } & DiffJson & {
    impact: ConsumerImpact | null;
  };

export function specChangeToJson(report: SpecChangeReport): SpecChangeJson {
  return {
    base: report.base,
    revision: report.revision,
    inputWarnings: report.inputWarnings,
    ...diffToJson(report.findings),
    impact: report.impact ?? null,
  };
}
