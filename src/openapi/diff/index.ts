/** Breaking-change detection between two OpenAPI documents: analyse → findings → exit code (src/render renders them). */
export {
  type AffectedInteraction,
  type BreakingImpact,
  type ConsumerImpact,
  consumerImpact,
  isBreaking,
  type StaticVerdict,
} from './consumer-impact.js';
export type { Counterexample } from './counterexample.js';
export { diffSpecs } from './diff-specs.js';
export type { DiffFinding, DiffOperation, DiffTarget } from './findings.js';
export { applyDiffIgnore, type DiffIgnoreEntry, parseDiffIgnore } from './ignore.js';
export { type DiffLevel, type DiffRule, diffRules, RULE_IDS, type RuleId } from './rules.js';
export { renderDiffRulesMarkdown } from './rules-doc.js';
export {
  checkSpecChange,
  type FailOn,
  type SpecChangeInput,
  type SpecChangeJson,
  type SpecChangeReport,
  specChangeExitCode,
  specChangeToJson,
} from './spec-change.js';
export {
  countDiffRules,
  type DiffJson,
  type DiffSummary,
  diffExitCode,
  diffToJson,
  summarizeDiff,
} from './summary.js';
