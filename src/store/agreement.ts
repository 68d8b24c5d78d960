/**
 * A record must agree with where it is: its path names the service, version,
 * environment or content hash it is about, and a record that says otherwise
 * (hand-edited, or planted) cannot be believed. Pure: the path and the parsed
 * record in, the first disagreement out.
 */
import { contentHash } from '../util/canonical-json.js';
import { encodeBranch } from './layout.js';

type Fields = Record<string, unknown>;

/** Segments entente writes: names, versions, hashes and percent-encoded names. Anything else was not written by entente. */
export const WRITABLE_SEGMENT = /^[A-Za-z0-9_%-][A-Za-z0-9._+%-]{0,1023}$/;

function field(record: Fields, name: string, expected: string): string | undefined {
  const actual = record[name];
  return actual === expected
    ? undefined
    : `${name} is ${JSON.stringify(actual)} but the path says ${JSON.stringify(expected)}`;
}

function first(...problems: (string | undefined)[]): string | undefined {
  return problems.find((p) => p !== undefined);
}

/**
 * What is wrong with a verification's outcome: it must follow from its
 * interactions (an interaction with a mismatch or an error did not pass; the
 * verification passed only when every interaction did).
 */
function verificationDisagreement(record: Fields): string | undefined {
  const interactions = Array.isArray(record.interactions) ? (record.interactions as Fields[]) : [];
  for (const [i, interaction] of interactions.entries()) {
    const failedEvidence =
      (Array.isArray(interaction.mismatches) && interaction.mismatches.length > 0) ||
      interaction.error !== undefined;
    if (interaction.success === true && failedEvidence) {
      return `interactions/${i} is marked successful but records ${interaction.error !== undefined ? 'an error' : 'mismatches'}`;
    }
  }
  const outcome = interactions.length > 0 && interactions.every((i) => i.success === true);
  if (record.success !== outcome) {
    return `success is ${JSON.stringify(record.success)} but its interactions say ${outcome ? 'passed' : interactions.length === 0 ? 'nothing was replayed' : 'failed'}`;
  }
  return undefined;
}

/** The first way `record` (already valid against its schema) disagrees with `path`; undefined when it agrees. */
export function recordDisagreement(path: string, record: unknown): string | undefined {
  if (!record || typeof record !== 'object' || Array.isArray(record)) return undefined;
  const r = record as Fields;
  const s = path.split('/');
  const stem = (name: string) => name.replace(/\.json$/, '');
  if (s[0] === 'environments' && s.length === 3) {
    return first(field(r, 'environment', s[1]!), field(r, 'service', stem(s[2]!)));
  }
  if (s[0] === 'services' && s.length === 4 && s[2] === 'versions') {
    return first(field(r, 'service', s[1]!), field(r, 'version', stem(s[3]!)));
  }
  if (s[0] === 'services' && s.length === 4 && s[2] === 'branches') {
    // Long or mixed-case branch names are stored under a hashed file name: compare the encodings, not the names.
    const branch = typeof r.branch === 'string' ? r.branch : undefined;
    return first(
      field(r, 'service', s[1]!),
      branch !== undefined && encodeBranch(branch) === stem(s[3]!)
        ? undefined
        : `its branch ${JSON.stringify(r.branch)} is not the one its file name ${s[3]} stands for`,
    );
  }
  if (s[0] === 'contracts' && s.length === 4) {
    const hash = contentHash(r);
    return first(
      field(r, 'provider', s[1]!),
      field(r, 'consumer', s[2]!),
      hash === stem(s[3]!) ? undefined : `its content hashes to ${hash}, not to the hash in its path`,
    );
  }
  if (s[0] === 'verifications' && s.length === 4) {
    return first(
      field(r, 'provider', s[1]!),
      field(r, 'providerVersion', s[2]!),
      field(r, 'contract', stem(s[3]!)),
      verificationDisagreement(r),
    );
  }
  return undefined;
}

/** A spec document must hash to the name it is stored under. */
export function specDisagreement(path: string, document: unknown): string | undefined {
  const expected = path
    .split('/')
    .pop()!
    .replace(/\.json$/, '');
  const hash = contentHash(document);
  return hash === expected ? undefined : `its content hashes to ${hash}, not to the hash in its path`;
}
