/** entente's public library API. Every export is listed by name. */
export { ConfigError, EntenteError, ExitCode, GitError, InputError, IoError, RecordError } from './errors.js';
export type {
  BranchRecord,
  ContractRecord,
  DeploymentRecord,
  FixtureRecord,
  Interaction,
  Mismatch,
  RepoPolicy,
  VerificationRecord,
  VersionRecord,
} from './model/records.js';
export {
  countDiffRules,
  type DiffFinding,
  type DiffJson,
  type DiffLevel,
  type DiffOperation,
  type DiffRule,
  type DiffSummary,
  type DiffTarget,
  diffExitCode,
  diffRules,
  diffSpecs,
  diffToJson,
  type RuleId as DiffRuleId,
  renderDiffMarkdown,
  renderDiffText,
  summarizeDiff,
} from './spec/diff/index.js';
