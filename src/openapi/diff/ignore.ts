/**
 * Accepted changes: an ignore file lists findings a team has decided to
 * ship, each with its reason. Matching findings stay in the report, marked
 * ignored with that reason; they no longer fail the command. Pure: the file
 * is read at the edge (compare-sides).
 */
import { InputError } from '../../errors.js';
import type { DiffFinding } from './findings.js';
import { diffRules, type RuleId } from './rules.js';

export interface DiffIgnoreEntry {
  rule: RuleId;
  /** `GET /castles/{id}` (the revision's path template, or the base's for what was removed) or an operationId; any operation when absent. */
  operation?: string;
  /** The finding's body path (`items[].stock`) or JSON pointer (`location`); anywhere in the operation when absent. */
  path?: string;
  reason: string;
}

/** Reads an ignore file's entries (`ignore: [{ rule, operation?, path?, reason }]`); InputError naming the entry otherwise. */
export function parseDiffIgnore(document: unknown, file: string): DiffIgnoreEntry[] {
  const refuse = (where: string, message: string): never => {
    throw new InputError('input.diff-ignore', `${file}${where}: ${message}`, {
      details: [{ where: `${file}${where}`, message }],
    });
  };
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    return refuse('', 'must hold an object with an `ignore` list');
  }
  const list = (document as { ignore?: unknown }).ignore;
  if (!Array.isArray(list)) return refuse('#/ignore', 'must be a list of { rule, operation, path, reason }');
  const allowed = new Set(['rule', 'operation', 'path', 'reason']);
  return list.map((raw, i) => {
    const where = `#/ignore/${i}`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      return refuse(where, 'must be an object');
    const entry = raw as Record<string, unknown>;
    const unknown = Object.keys(entry).find((key) => !allowed.has(key));
    if (unknown !== undefined)
      refuse(`${where}/${unknown}`, 'is not a field (rule, operation, path, reason)');
    if (typeof entry.rule !== 'string' || !(entry.rule in diffRules)) {
      refuse(
        `${where}/rule`,
        `must be a rule ID from docs/breaking-changes.md, not ${JSON.stringify(entry.rule)}`,
      );
    }
    if (typeof entry.reason !== 'string' || entry.reason.trim() === '') {
      refuse(`${where}/reason`, 'must say why the change is accepted');
    }
    for (const key of ['operation', 'path'] as const) {
      if (entry[key] !== undefined && typeof entry[key] !== 'string')
        refuse(`${where}/${key}`, 'must be a string');
    }
    return {
      rule: entry.rule as RuleId,
      ...(entry.operation === undefined ? {} : { operation: entry.operation as string }),
      ...(entry.path === undefined ? {} : { path: entry.path as string }),
      reason: entry.reason as string,
    };
  });
}

/** The findings with `ignored` set on those an entry matches, and the entries that matched nothing. */
export function applyDiffIgnore(
  findings: readonly DiffFinding[],
  entries: readonly DiffIgnoreEntry[],
): { findings: DiffFinding[]; unused: DiffIgnoreEntry[] } {
  const used = new Set<DiffIgnoreEntry>();
  const out = findings.map((finding) => {
    const entry = entries.find((candidate) => matches(candidate, finding));
    if (!entry) return finding;
    used.add(entry);
    return { ...finding, ignored: { reason: entry.reason } };
  });
  return { findings: out, unused: entries.filter((entry) => !used.has(entry)) };
}

function matches(entry: DiffIgnoreEntry, finding: DiffFinding): boolean {
  if (entry.rule !== finding.rule) return false;
  if (entry.operation !== undefined) {
    const operation = finding.operation;
    if (!operation) return false;
    const [method, ...rest] = entry.operation.trim().split(/\s+/);
    const byPath =
      rest.length > 0 && method!.toUpperCase() === operation.method && rest.join(' ') === operation.path;
    if (!byPath && entry.operation !== operation.operationId) return false;
  }
  if (entry.path !== undefined) {
    const target = finding.target as { path?: string } | undefined;
    if (entry.path !== target?.path && entry.path !== finding.location) return false;
  }
  return true;
}
