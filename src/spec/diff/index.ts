/** Breaking-change detection between two OpenAPI documents: analyse → findings → render → exit code. */
export { diffSpecs } from './diff-specs.js';
export type { DiffFinding, DiffOperation, DiffTarget } from './findings.js';
export {
  countDiffRules,
  type DiffJson,
  type DiffSummary,
  diffExitCode,
  diffToJson,
  renderDiffMarkdown,
  renderDiffText,
  summarizeDiff,
} from './render.js';
export { type DiffLevel, type DiffRule, diffRules, RULE_IDS, type RuleId } from './rules.js';
export { renderDiffRulesMarkdown } from './rules-doc.js';
