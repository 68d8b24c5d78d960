/**
 * Where each kind of record lives in the contracts repository. Every path is
 * built from validated names (see model/names.ts), so none can escape the
 * repository. The layout is documented in docs/contracts-repo.md.
 */

import { createHash } from 'node:crypto';

export const POLICY_FILE = 'entente.yml';

export const layout = {
  servicesDir: () => 'services',
  serviceDir: (service: string) => `services/${service}`,
  versionsDir: (service: string) => `services/${service}/versions`,
  version: (service: string, version: string) => `services/${service}/versions/${version}.json`,
  spec: (service: string, hash: string) => `services/${service}/specs/${hash}.json`,
  branchesDir: (service: string) => `services/${service}/branches`,
  branch: (service: string, branch: string) => `services/${service}/branches/${encodeBranch(branch)}.json`,
  environmentsDir: () => 'environments',
  environmentDir: (environment: string) => `environments/${environment}`,
  deployment: (environment: string, service: string) => `environments/${environment}/${service}.json`,
  contractsOf: (provider: string) => `contracts/${provider}`,
  contract: (provider: string, consumer: string, hash: string) =>
    `contracts/${provider}/${consumer}/${hash}.json`,
  verificationsDir: (provider: string) => `verifications/${provider}`,
  verificationsOf: (provider: string, providerVersion: string) =>
    `verifications/${provider}/${providerVersion}`,
  verification: (provider: string, providerVersion: string, contractHash: string) =>
    `verifications/${provider}/${providerVersion}/${contractHash}.json`,
  fixturesDir: () => 'fixtures',
  fixturesOf: (service: string) => `fixtures/${service}`,
  fixture: (service: string, operation: string, id: string) =>
    `fixtures/${service}/${encodeSegment(operation)}/${id}.json`,
} as const;

/** Longest readable part of a branch file name, in bytes: with the hash and `.json`, far below 255 bytes. */
const BRANCH_STEM_BYTES = 150;
/** Names Windows reserves whatever the extension (`con.json` cannot be created there). */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i;

/**
 * A branch name as a file name every filesystem git supports. Names that
 * are short and have no capitals are percent-encoded as they always were
 * (`feature/x` → `feature%2Fx`). Names that could collide on a
 * case-insensitive filesystem (`Main` beside `main`), or whose encoding
 * would pass filesystem limits (255 bytes: 255 CJK characters encode to
 * 2,295), keep a readable prefix and end in `~` and a hash of the exact
 * name; `~` never appears in an encoded name, so the two forms cannot meet.
 * The branch itself is stored inside the record: file names are never decoded.
 */
export function encodeBranch(branch: string): string {
  let encoded = encodeSegment(branch);
  if (WINDOWS_RESERVED.test(encoded))
    encoded = `%${encoded.charCodeAt(0).toString(16).toUpperCase()}${encoded.slice(1)}`;
  if (branch === branch.toLowerCase() && encoded.length <= BRANCH_STEM_BYTES) return encoded;
  let readable = encodeSegment(branch.toLowerCase()).slice(0, BRANCH_STEM_BYTES);
  // Never cut a %XX escape in half.
  readable = readable.replace(/%[0-9A-F]?$/, '');
  return `${readable}~${createHash('sha256').update(branch).digest('hex').slice(0, 16)}`;
}

/** A single path segment that is safe on every filesystem: percent-encoding beyond encodeURIComponent. */
export function encodeSegment(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*~.]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
