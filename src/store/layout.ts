/**
 * Where each kind of record lives in the contracts repository. Every path is
 * built from validated names (see model/names.ts), so none can escape the
 * repository. The layout is documented in docs/contracts-repo.md.
 */

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

/** Branch names may hold `/` and other characters; in a file name they are percent-encoded. */
export function encodeBranch(branch: string): string {
  return encodeSegment(branch);
}

export function decodeBranch(fileStem: string): string {
  return decodeURIComponent(fileStem);
}

/** A single path segment that is safe on every filesystem: percent-encoding beyond encodeURIComponent. */
export function encodeSegment(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*~.]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
