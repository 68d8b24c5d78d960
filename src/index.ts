/**
 * entente's public library API: exactly what docs/library.md documents (a
 * test compares the two). Every export is listed by name.
 */

export type { ChangesReport } from './changes/read.js';
export type { ProjectSetUp } from './config/set-up-project.js';
export type {
  Client,
  ClientOptions,
  ConsumerConfigOptions,
  CreateMockOptions,
} from './consumer/create-mock.js';
export { createClient, createMock } from './consumer/create-mock.js';
export type { Mock, MockOptions } from './consumer/mock.js';
export type { CanIDeployOptions } from './deploy/can-i-deploy.js';
export { assessPair, decideCanIDeploy } from './deploy/gate.js';
export type { RecordDeploymentResult, RecordUndeploymentResult } from './deploy/record-deployment.js';
export type {
  CandidateFacts,
  CanIDeployResult,
  CompatibilityPolicy,
  Evidence,
  Pair,
  PairAssessment,
  PairResult,
  Verdict,
} from './deploy/verdict.js';
export { judgePair, pairsToCheck, verdictExitCode } from './deploy/verdict.js';
export { ConfigError, EntenteError, ExitCode, GitError, InputError, IoError, RecordError } from './errors.js';
export { readLocalFixtures } from './fixtures/load.js';
export type { ProposeResult } from './fixtures/propose.js';
export type { FixtureChange, ReviewAction, ReviewResult, ReviewTarget } from './fixtures/review.js';
export type { FixtureFilter, StoredFixture } from './fixtures/select.js';
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
  type FixtureList,
  type ImportPactsInput,
  type OpenContractsOptions,
  openContracts,
  type ProposeFixturesInput,
  type PruneInput,
  type PublishSpecInput,
  type PublishSpecOutcome,
  type ReportInput,
  type ReviewFixturesOptions,
  type ServiceVersion,
  type StatusInput,
  type StatusOutcome,
  type UndeploymentInput,
  type VerifyInput,
} from './open-contracts.js';
export {
  checkSpecChange,
  type DiffFinding,
  diffSpecs,
  type SpecChangeReport,
} from './openapi/diff/index.js';
export type { OpenApiDocument } from './openapi/document.js';
export type { ParameterObject, RouteResult, Router, SpecOperation } from './openapi/router.js';
export { createRouter, routeRequest } from './openapi/router.js';
export type { SampleOptions, SampleResult } from './openapi/sample.js';
export { generateSample } from './openapi/sample.js';
export type { JsonSchema, SchemaDirection } from './openapi/schema.js';
export { toJsonSchema } from './openapi/schema.js';
export type { Violation, ViolationLocation } from './openapi/validator.js';
export { validateRequest, validateResponse } from './openapi/validator.js';
export { type PactFile, toPact } from './pact/export.js';
export type { ImportPactResult } from './pact/import.js';
export { type PactDocument, parsePact } from './pact/pact-file.js';
export type { BreakingChanges, PublishSpecResult } from './provider-spec/publish.js';
export type { SpecSelector } from './provider-spec/read.js';
export type { PruneResult } from './prune/prune.js';
export type { PublishedContract, PublishResult } from './record/publish.js';
export { renderSpecChangeMarkdown, renderSpecChangeText } from './render/spec-change.js';
export type { WriteReportResult } from './report/report.js';
export type { EnvironmentMatrix } from './status/matrix.js';
export type { StatusReport } from './status/status.js';
export type { PolicyWriteResult } from './store/policy.js';
export type { SnapshotSource } from './store/store.js';
export type { Provider, ProviderOptions, VerifyOptions } from './verify/library.js';
export { createProvider, verify } from './verify/library.js';
export type { PendingReport } from './verify/pending.js';
export type { ReplayRequest, RequestFilter } from './verify/replay.js';
export type { ContractOutcome, InteractionOutcome, VerifyProgress } from './verify/run.js';
export type { ConsumerSelector } from './verify/select.js';
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
