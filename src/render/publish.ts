/** Text renderings of what was published or imported into the contracts repository, and of pacts exported from it. */

import type { PublishSpecOutcome } from '../open-contracts.js';
import type { PactFile } from '../pact/export.js';
import type { ImportPactResult } from '../pact/import.js';
import type { BreakingChanges } from '../provider-spec/publish.js';
import type { PublishResult } from '../record/publish.js';
import type { Colors } from './table.js';

const BREAKING_SHOWN = 10;

/** What was published from the pending folder. */
export function renderPublished(result: PublishResult, pendingDir: string, colors: Colors): string[] {
  const lines: string[] = [];
  if (result.published === 0) {
    lines.push(`Nothing to publish: no recordings in ${pendingDir}.`);
  } else {
    for (const contract of result.contracts) {
      const stored = contract.newContent ? 'stored' : 'identical content already stored';
      lines.push(
        `${colors.green('✔')} Published ${colors.bold(`${contract.consumer}@${contract.consumerVersion}`)} → ${colors.bold(contract.provider)}: ${contract.interactions} interaction${contract.interactions === 1 ? '' : 's'} (contract ${contract.hash.slice(0, 12)}, ${stored}).`,
      );
    }
    if (result.fixtureDrafts > 0) {
      lines.push(
        `Proposed ${result.fixtureDrafts} consumer fixture draft${result.fixtureDrafts === 1 ? '' : 's'} (status draft: served once approved).`,
      );
    }
    if (!result.committed) lines.push('The contracts repository already had all of it: nothing committed.');
  }
  if (result.kept > 0) {
    lines.push(
      `${result.kept} recording${result.kept === 1 ? '' : 's'} of other test runs still pending in ${pendingDir}: \`entente publish\` publishes them.`,
    );
  }
  return lines;
}

/** The warning publish-spec gives when the spec breaks the latest published one (`specFile` as the user named it). */
export function describeBreakingChanges(
  service: string,
  version: string,
  breaking: BreakingChanges,
  specFile: string,
): string {
  const hurt = breaking.impact.hurt;
  const count = breaking.findings.length;
  return [
    `${service}@${version} breaks ${breaking.against}: ${count} breaking change${count === 1 ? '' : 's'}${hurt.length > 0 ? `, hurting ${hurt.join(', ')}` : ', no consumer contract hurt'}`,
    ...breaking.findings.slice(0, BREAKING_SHOWN).map((finding) => `  ${finding.rule}: ${finding.message}`),
    ...(count > BREAKING_SHOWN ? [`  … and ${count - BREAKING_SHOWN} more`] : []),
    `  see: entente diff ${breaking.against} ${specFile}`,
  ].join('\n');
}

/** What publish-spec did: refused (under --fail-on-breaking), or published (maybe nothing new). */
export function renderSpecPublished(outcome: PublishSpecOutcome, colors: Colors): string[] {
  const { service, version, published } = outcome;
  if (!published) {
    return [`Not published: --fail-on-breaking and ${outcome.breakingChanges?.against} would be broken.`];
  }
  const lines: string[] = [];
  if (outcome.convertedFrom) lines.push(`Converted Swagger 2.0 to OpenAPI ${outcome.openapi}.`);
  const stored = published.reusedDocument ? 'an identical document was already stored' : 'stored';
  if (published.outcome === 'unchanged') {
    lines.push(
      `${service}@${version} already has this spec (${published.hash.slice(0, 12)}): nothing to publish.`,
    );
  } else {
    lines.push(
      `${colors.green('✔')} Published the spec of ${colors.bold(`${service}@${version}`)} (OpenAPI ${outcome.openapi}, ${published.hash.slice(0, 12)}, ${stored})${published.outcome === 'replaced' ? ', replacing the previous one' : ''}.`,
    );
  }
  return lines;
}

/** What import-pact stored. */
export function renderImported(result: ImportPactResult, colors: Colors): string[] {
  const lines = result.contracts.map((contract) => {
    const stored = contract.newContent ? 'stored' : 'identical content already stored';
    const named = contract.operationsFrom
      ? `operations named from the spec of ${contract.provider}@${contract.operationsFrom}`
      : `${contract.provider} has no published spec: operations named METHOD /path`;
    return `${colors.green('✔')} Imported ${colors.bold(`${contract.consumer}@${contract.consumerVersion}`)} → ${colors.bold(contract.provider)} from ${contract.files.join(', ')} (Pact V${contract.specVersions.join(', V')}): ${contract.interactions} interaction${contract.interactions === 1 ? '' : 's'} (contract ${contract.hash.slice(0, 12)}, ${stored}; ${named}).`;
  });
  if (!result.committed) lines.push('The contracts repository already had all of it: nothing committed.');
  return lines;
}

/** The pact files export-pact wrote, each at `path`. */
export function renderExported(
  files: readonly (Omit<PactFile, 'pact'> & { path: string })[],
  consumer: string,
  version: string,
  specVersion: number,
  colors: Colors,
): string[] {
  return files.map(
    (file) =>
      `${colors.green('✔')} Wrote ${file.path}: ${consumer}@${version} → ${file.provider}, ${file.interactions} interaction${file.interactions === 1 ? '' : 's'} (Pact V${specVersion}, contract ${file.contract.slice(0, 12)}).`,
  );
}
