/**
 * A spec change checked both ways: the generic rules, then what it does to
 * the real consumer contracts. Data in, report out; renderers beside it.
 */
import pc from 'picocolors';
import type { OpenApiDocument } from '../document.js';
import type { ConsumerContract } from './consumer-contracts.js';
import { type ConsumerImpact, type ContractRef, consumerImpact } from './consumer-impact.js';
import { diffSpecs } from './diff-specs.js';
import type { DiffFinding } from './findings.js';
import { applyDiffIgnore, type DiffIgnoreEntry } from './ignore.js';
import {
  cell,
  type DiffJson,
  diffExitCode,
  diffToJson,
  operationLabel,
  renderDiffMarkdown,
  renderDiffText,
} from './render.js';

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

const MAX_INPUT_WARNINGS_SHOWN = 10;

const versionsOf = (ref: ContractRef) =>
  ref.versions.map((v) => `${v.version} (${v.why.join(', ')})`).join('; ');

export function renderSpecChangeText(report: SpecChangeReport, options: { color?: boolean } = {}): string {
  const c = pc.createColors(options.color ?? false);
  const out = [`Comparing ${report.base} → ${report.revision}`, ''];
  if (report.inputWarnings.length > 0) {
    out.push(
      `${c.yellow('Compared despite')} ${report.inputWarnings.length} problem${report.inputWarnings.length === 1 ? '' : 's'} in the inputs (--strict refuses them):`,
    );
    for (const warning of report.inputWarnings.slice(0, MAX_INPUT_WARNINGS_SHOWN)) out.push(`  ${warning}`);
    if (report.inputWarnings.length > MAX_INPUT_WARNINGS_SHOWN) {
      out.push(
        `  … and ${report.inputWarnings.length - MAX_INPUT_WARNINGS_SHOWN} more (all of them in --json)`,
      );
    }
    out.push('');
  }
  out.push(renderDiffText(report.findings, options));
  const impact = report.impact;
  if (!impact) return out.join('\n');
  out.push(
    `Consumers of ${impact.provider}: ${impact.contracts.length === 0 ? 'no deployed or main-branch contracts' : `${impact.hurt.length + impact.untouched.length} checked`}`,
  );
  if (impact.contracts.length > 0) {
    out.push(`  hurt:      ${impact.hurt.length > 0 ? c.red(impact.hurt.join(', ')) : 'none'}`);
    out.push(`  untouched: ${impact.untouched.join(', ') || 'none'}`);
  }
  for (const entry of impact.breaking) {
    const finding = report.findings[entry.finding]!;
    if (entry.broken.length === 0) continue;
    out.push('', `${finding.rule}  ${c.bold(operationLabel(finding))}`, `  ${finding.message}`);
    for (const broken of entry.broken) {
      const reliedOn = [...new Set(broken.interactions.flatMap((i) => i.reliedOn ?? []))];
      out.push(
        `  ${c.red('breaks')} ${broken.consumer} ${versionsOf(broken)}: ${broken.interactions.length} interaction${broken.interactions.length === 1 ? '' : 's'}${reliedOn.length > 0 ? `, relying on ${reliedOn.join(', ')}` : ''}`,
      );
    }
    if (entry.untouched.length > 0) out.push(`  leaves alone ${entry.untouched.join(', ')}`);
  }
  const failing = impact.staticCheck.filter((verdict) => !verdict.compatible);
  if (failing.length > 0) {
    out.push('', 'Static check of the consumer contracts against the revision:');
    for (const verdict of failing) {
      out.push(
        `  ${c.red('fails')} ${verdict.consumer} ${versionsOf(verdict)}${verdict.newlyIncompatible ? '' : ' (already failed against the base)'}`,
      );
      for (const finding of verdict.findings.slice(0, 5))
        out.push(`    ${finding.code} ${finding.operation}: ${finding.message}`);
      if (verdict.findings.length > 5) out.push(`    … and ${verdict.findings.length - 5} more`);
    }
  }
  return `${out.join('\n')}\n`;
}

/** A pull-request comment: the consumers hurt and those untouched first, then the generic findings. */
export function renderSpecChangeMarkdown(report: SpecChangeReport): string {
  const out: string[] = [];
  const impact = report.impact;
  if (impact) {
    out.push(`### Consumers of \`${impact.provider}\``, '');
    if (impact.contracts.length === 0) {
      out.push('No deployed or main-branch consumer contracts to check.', '');
    } else {
      const names = (list: string[], strong: boolean) =>
        list.length === 0 ? 'none' : list.map((n) => (strong ? `**${n}**` : `\`${n}\``)).join(', ');
      out.push(
        `- :x: Hurt: ${names(impact.hurt, true)}`,
        `- :white_check_mark: Untouched: ${names(impact.untouched, false)}`,
        '',
      );
      const rows = impact.breaking.filter((entry) => entry.broken.length > 0);
      if (rows.length > 0) {
        out.push('| Change | Operation | Breaks | Leaves alone |', '| --- | --- | --- | --- |');
        for (const entry of rows) {
          const finding = report.findings[entry.finding]!;
          const breaks = entry.broken
            .map((b) => {
              const reliedOn = [...new Set(b.interactions.flatMap((i) => i.reliedOn ?? []))];
              return `**${b.consumer}** ${b.versions.map((v) => v.version).join(', ')}${reliedOn.length > 0 ? ` (relies on ${reliedOn.map((p) => `\`${p}\``).join(', ')})` : ''}`;
            })
            .join('<br>');
          out.push(
            `| ${cell(finding.message)} | \`${cell(operationLabel(finding))}\` | ${cell(breaks)} | ${cell(entry.untouched.join(', '))} |`,
          );
        }
        out.push('');
      }
      const failing = impact.staticCheck.filter((verdict) => !verdict.compatible);
      if (failing.length > 0) {
        out.push('Static check against the revision fails for:', '');
        for (const verdict of failing) {
          const first = verdict.findings[0];
          out.push(
            `- **${verdict.consumer}** ${verdict.versions.map((v) => v.version).join(', ')}${verdict.newlyIncompatible ? '' : ' (already failed against the base)'}${first ? `: \`${first.code}\` ${cell(first.message)}` : ''}`,
          );
        }
        out.push('');
      }
    }
  }
  if (report.inputWarnings.length > 0) {
    out.push(
      '<details>',
      `<summary>Compared despite ${report.inputWarnings.length} problem${report.inputWarnings.length === 1 ? '' : 's'} in the inputs</summary>`,
      '',
      ...report.inputWarnings.map((warning) => `- ${cell(warning)}`),
      '',
      '</details>',
      '',
    );
  }
  out.push(renderDiffMarkdown(report.findings));
  return out.join('\n');
}
