/** A spec change (src/openapi/diff/spec-change.ts) for a terminal and for a pull-request comment. */
import pc from 'picocolors';
import type { ContractRef } from '../openapi/diff/consumer-impact.js';
import type { SpecChangeReport } from '../openapi/diff/spec-change.js';
import { cell, operationLabel, renderDiffMarkdown, renderDiffText } from './diff.js';

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
