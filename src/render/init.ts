/** Text renderings of `entente init`, for people. */

import type { ProjectSetUp } from '../config/set-up-project.js';
import type { PolicyWriteResult } from '../store/policy.js';
import type { Colors } from './table.js';

/** A project set up: what was written, and where its contracts go. */
export function renderProjectSetUp(
  written: ProjectSetUp,
  location: string,
  defaultLocation: boolean,
  colors: Colors,
): { lines: string[]; warnings: string[] } {
  return {
    lines: [
      `${colors.green('✔')} Wrote ${written.configFile}`,
      ...(written.gitignore ? [`${colors.green('✔')} Added .entente/ to ${written.gitignore}`] : []),
      defaultLocation
        ? `Contracts repository: ${location} (local; set \`contracts:\` to share one with other teams)`
        : `Contracts repository: ${location}`,
    ],
    warnings: written.service
      ? []
      : ['no service name found: add `service:` to .entente.yml or pass --service'],
  };
}

/** A contracts repository set up: its policy committed, or already there. */
export function renderRepositorySetUp(
  { policy, commit }: PolicyWriteResult,
  location: string,
  branch: string,
  colors: Colors,
): string[] {
  return [
    commit
      ? `${colors.green('✔')} Committed entente.yml to ${location} (branch ${branch})`
      : `${location} already has this entente.yml; nothing to do`,
    `Environments: ${policy.environments?.join(', ') ?? 'any (no list: every name is accepted)'}; compatibility: ${policy.compatibility}.`,
  ];
}
