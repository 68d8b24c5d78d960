import type { Counterexample } from './counterexample.js';
import { type DiffLevel, diffRules, type RuleId } from './rules.js';

/** The operation a finding belongs to: the revision's path template, or the base's when it was removed. */
export interface DiffOperation {
  /** Upper case, as in contracts: `GET`. */
  method: string;
  path: string;
  operationId?: string;
}

/**
 * What a finding concerns, structured so that consumer contracts can be
 * matched against it. Body paths use the relied-on path syntax
 * (`items[].stock`, `[].name`; '' is the whole body).
 */
export type DiffTarget =
  | { kind: 'operation' }
  | { kind: 'parameter'; in: string; name: string; path: string }
  | { kind: 'request-body'; contentType?: string; path: string }
  | { kind: 'response-status'; status: string }
  | { kind: 'response-body'; status: string; contentType: string; path: string }
  | { kind: 'response-header'; status: string; name: string; path: string }
  | { kind: 'security' }
  | { kind: 'security-scheme'; name: string };

export interface DiffFinding {
  rule: RuleId;
  level: DiffLevel;
  operation?: DiffOperation;
  /** A JSON pointer into the revision, or into the base for what was removed. */
  location: string;
  target?: DiffTarget;
  message: string;
  before?: unknown;
  after?: unknown;
  /** A value that proves a schema finding breaks: see {@link Counterexample}. */
  counterexample?: Counterexample;
  /** Set when an ignore file accepts this change: still reported, no longer failing. */
  ignored?: { reason: string };
}

/** A finding with its level taken from the rule registry. */
export function finding(rule: RuleId, fields: Omit<DiffFinding, 'rule' | 'level'>): DiffFinding {
  return { rule, level: diffRules[rule].level, ...fields };
}
