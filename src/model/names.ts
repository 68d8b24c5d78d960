import { InputError } from '../errors.js';

const SERVICE = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const VERSION = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$/;
/** Environments follow the service rule: they become file and folder names. */
const ENVIRONMENT = SERVICE;

export const namePatterns = { service: SERVICE, version: VERSION, environment: ENVIRONMENT } as const;

function check(kind: string, pattern: RegExp, rule: string, value: string, where: string): string {
  if (typeof value !== 'string' || !pattern.test(value) || value === '.' || value === '..') {
    throw new InputError(
      `input.${kind}-name`,
      `${where}: ${JSON.stringify(value)} is not a valid ${kind}: ${rule}`,
      {
        details: [{ where, message: `expected ${rule}` }],
      },
    );
  }
  return value;
}

/** A service name: lowercase letters, digits, `.`, `_`, `-`; 1–64 characters; starts with a letter or digit. */
export function serviceName(value: string, where = '--service'): string {
  return check(
    'service',
    SERVICE,
    'lowercase letters, digits, ".", "_" or "-", 1-64 characters, starting with a letter or digit',
    value,
    where,
  );
}

/** A version: letters, digits, `.`, `_`, `+`, `-`; 1–128 characters; no `/`. */
export function versionName(value: string, where = '--version'): string {
  return check(
    'version',
    VERSION,
    'letters, digits, ".", "_", "+" or "-", 1-128 characters, starting with a letter or digit',
    value,
    where,
  );
}

export function environmentName(value: string, where = '--environment'): string {
  return check(
    'environment',
    ENVIRONMENT,
    'lowercase letters, digits, ".", "_" or "-", 1-64 characters, starting with a letter or digit',
    value,
    where,
  );
}

/**
 * A source branch name. Branches are stored inside records and, encoded, as
 * file names, so anything git accepts as a branch is fine; control characters
 * and empty names are not.
 */
export function branchName(value: string, where = '--branch'): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  if (!value || value.length > 255 || /[\u0000-\u001f\u007f]/.test(value)) {
    throw new InputError(
      'input.branch-name',
      `${where}: ${JSON.stringify(value)} is not a valid branch name`,
      {
        details: [{ where, message: 'expected 1-255 printable characters' }],
      },
    );
  }
  return value;
}

/** `castle-service@1.2.0` → `{ service, version }`; the version part is optional. */
export function parseServiceRef(value: string, where: string): { service: string; version?: string } {
  const at = value.indexOf('@');
  if (at === -1) return { service: serviceName(value, where) };
  return {
    service: serviceName(value.slice(0, at), where),
    version: versionName(value.slice(at + 1), where),
  };
}
