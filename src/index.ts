/** entente's public library API. Every export is listed by name. */

export type { ChangesReport } from './changes/read.js';
export type {
  Client,
  ClientOptions,
  ConsumerConfigOptions,
  CreateMockOptions,
} from './consumer/create-mock.js';
export { createClient, createMock } from './consumer/create-mock.js';
export type { Mock, MockOptions } from './consumer/mock.js';
export type { ActualResponse, MismatchKind } from './contract/compare-response.js';
export type { CanIDeployOptions, CanIDeployRequest } from './deploy/can-i-deploy.js';
export { canIDeploy, readCanIDeploy } from './deploy/can-i-deploy.js';
export type { RecordDeploymentResult, RecordUndeploymentResult } from './deploy/record-deployment.js';
export type {
  CandidateFacts,
  CanIDeployResult,
  CompatibilityPolicy,
  Direction,
  Evidence,
  Pair,
  PairAssessment,
  PairResult,
  StaticOutcome,
  Verdict,
  VerificationOutcome,
} from './deploy/verdict.js';
export {
  assessPair,
  decideCanIDeploy,
  judgePair,
  pairsToCheck,
  verdictExitCode,
} from './deploy/verdict.js';
export { ConfigError, EntenteError, ExitCode, GitError, InputError, IoError, RecordError } from './errors.js';
export { parseWhen } from './fixtures/dates.js';
export { readApprovedFixtures, readFixtures, readLocalFixtures } from './fixtures/load.js';
export {
  DEFAULT_PRIORITY,
  type ProposeInput,
  type ProposeResult,
  proposeFixtures,
} from './fixtures/propose.js';
export {
  type FixtureChange,
  planReview,
  type ReviewAction,
  type ReviewOptions,
  type ReviewPlan,
  type ReviewResult,
  type ReviewTarget,
  reviewFixtures,
} from './fixtures/review.js';
export {
  type FixtureFilter,
  findFixture,
  fixtureCreatedAt,
  listFixtures,
  matchesFilter,
  type StoredFixture,
} from './fixtures/select.js';
export { checkFixtureAgainstSpec, type FixtureProblem } from './fixtures/spec-check.js';
export type {
  MockHandler,
  MockHandlerOptions,
  MockInteraction,
  MockLogger,
  MockProblem,
  MockProblemKind,
  ProviderState,
  ServedFrom,
} from './mock/handler.js';
export { createMockHandler, PROBLEMS_HEADER, STATE_HEADER } from './mock/handler.js';
export { createMswHandlers } from './mock/msw.js';
export type { MockServer, MockServerOptions } from './mock/node-server.js';
export { startMockServer } from './mock/node-server.js';
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
  type CanIDeployInput,
  type Contracts,
  type DeploymentInput,
  type DiffInput,
  type ExportPactsInput,
  type ImportPactsInput,
  type OpenContractsOptions,
  openContracts,
  type PruneInput,
  type PublishSpecInput,
  type PublishSpecOutcome,
  type ReportInput,
  type ServiceVersion,
  type StatusInput,
  type StatusOutcome,
  type UndeploymentInput,
  type VerifyInput,
} from './open-contracts.js';
export {
  applyDiffIgnore,
  type BreakingImpact,
  type ConsumerImpact,
  type Counterexample,
  checkSpecChange,
  consumerImpact,
  countDiffRules,
  type DiffFinding,
  type DiffIgnoreEntry,
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
  parseDiffIgnore,
  type RuleId as DiffRuleId,
  type SpecChangeReport,
  specChangeExitCode,
  specChangeToJson,
  summarizeDiff,
} from './openapi/diff/index.js';
export type { OpenApiDocument } from './openapi/document.js';
export type { ParameterObject, RouteResult, Router, SpecOperation } from './openapi/router.js';
export { createRouter, listOperations, routeRequest } from './openapi/router.js';
export type { SampleOptions, SampleResult } from './openapi/sample.js';
export { generateSample } from './openapi/sample.js';
export type { ConvertOptions, JsonSchema, JsonSchemaObject, SchemaDirection } from './openapi/schema.js';
export { toJsonSchema } from './openapi/schema.js';
export type {
  DeclaredResponse,
  OperationRef,
  RequestData,
  ResponseData,
  ValidateResponseOptions,
  Violation,
  ViolationLocation,
} from './openapi/validator.js';
export {
  declaredResponse,
  requestBodySchema,
  responseBodySchema,
  specValidators,
  validateRequest,
  validateResponse,
} from './openapi/validator.js';
export { type ExportPactRequest, exportPacts, type PactFile, toPact } from './pact/export.js';
export {
  type ImportedContract,
  type ImportPactRequest,
  type ImportPactResult,
  importPacts,
} from './pact/import.js';
export { loadPactFiles } from './pact/load.js';
export { comparePactResponse, type PactMismatch, pactMismatchKinds } from './pact/match.js';
export { type PactDocument, parsePact } from './pact/pact-file.js';
export { type CompareSidesOptions, compareSpecSides } from './provider-spec/compare-sides.js';
export type { BreakingChanges, PublishSpecResult } from './provider-spec/publish.js';
export type { SpecSelector } from './provider-spec/read.js';
export type { PruneResult } from './prune/prune.js';
export {
  type GitHubAccess,
  type OpenedPullRequest,
  openPullRequest,
  type PullRequestHost,
  type PullRequestSettings,
  pullRequestHost,
} from './pull-request/pull-request.js';
export type { PublishedContract, PublishResult } from './record/publish.js';
export { publishPending } from './record/publish.js';
export { renderDiffMarkdown, renderDiffText } from './render/diff.js';
export { renderSpecChangeMarkdown, renderSpecChangeText } from './render/spec-change.js';
export type { WriteReportResult } from './report/report.js';
export type { EnvironmentMatrix, MatrixCell, MatrixVersion } from './status/matrix.js';
export { readMatrix } from './status/matrix.js';
export type { StatusReport } from './status/status.js';
export type { PolicyWriteResult } from './store/policy.js';
export type { SnapshotSource } from './store/store.js';
export type { Provider, ProviderOptions, VerifyOptions } from './verify/library.js';
export { createProvider, verify } from './verify/library.js';
export type { PendingContract, PendingReport } from './verify/pending.js';
export type { ReplayRequest, RequestFilter } from './verify/replay.js';
export type { ContractOutcome, InteractionOutcome, VerifyProgress } from './verify/run.js';
export type { ConsumerSelector, SelectedVersion, SelectionReason } from './verify/select.js';
export type {
  Cleanup,
  CleanupContext,
  StateAction,
  StateContext,
  StateFunction,
  StateHandler,
  StateHandlers,
} from './verify/states.js';
export type { VerifyResult } from './verify/verify.js';
