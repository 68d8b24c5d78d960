/**
 * The can-i-deploy verdict, pure: the facts about a candidate version and its
 * partners in one environment in, every consumer/provider pair with a verdict
 * and a reason out. The shell (can-i-deploy.ts) reads exactly the files these
 * functions say they need; docs/can-i-deploy.md describes the rules.
 *
 * The static check is passed in (`StaticCheck`, src/deploy/static-evidence.ts):
 * it needs the OpenAPI validators, which a gate decided by verifications alone
 * never loads. src/deploy/gate.ts binds it for the library's exports.
 */
import type { StaticFinding } from '../contract/static-check.js';
import { ExitCode } from '../errors.js';
import type {
  ContractRecord,
  DeploymentRecord,
  RepoPolicy,
  VerificationRecord,
  VersionRecord,
} from '../model/records.js';
import type { OpenApiDocument } from '../openapi/document.js';
import { compareText } from '../util/compare-text.js';

/** The static check of a contract against a provider version's spec: its findings, and whether they allow the pair. */
export type StaticCheck = (
  contract: ContractRecord,
  spec: OpenApiDocument,
) => { findings: StaticFinding[]; compatible: boolean };

export type Verdict = 'yes' | 'no' | 'unknown';
export type CompatibilityPolicy = NonNullable<RepoPolicy['compatibility']>;
export const DEFAULT_COMPATIBILITY: CompatibilityPolicy = 'verified-or-static';

/** The candidate's role in a pair. */
export type Direction = 'as-consumer' | 'as-provider';

/** A consumer version and a provider version whose compatibility is to be judged. */
export interface Pair {
  direction: Direction;
  consumer: string;
  consumerVersion: string;
  provider: string;
  /** Absent: the provider is not deployed in the environment. */
  providerVersion?: string;
  /** The hash of the contract the consumer version has with the provider. */
  contract: string;
}

export type VerificationOutcome = 'passed' | 'failed' | 'missing';
export type StaticOutcome = 'passed' | 'failed' | 'no-spec' | 'not-checked';

/** What the repository says about one pair, before the policy turns it into a verdict. */
export interface PairAssessment {
  verification: VerificationOutcome;
  verifiedAt?: string;
  /** The first mismatch of a failed verification, as a sentence. */
  firstMismatch?: string;
  static: StaticOutcome;
  /** Every static finding (errors and warnings) when the static check ran. */
  findings: StaticFinding[];
}

export interface PairResult extends Pair, PairAssessment {
  verdict: Verdict;
  reason: string;
  /** The pair's service was passed to --ignore: shown, but not counted. */
  ignored: boolean;
}

/** The facts can-i-deploy starts from, read before any evidence. */
export interface CandidateFacts {
  service: string;
  version: string;
  environment: string;
  policy: CompatibilityPolicy;
  ignore: readonly string[];
  /** The candidate's version record; undefined when the repository does not know the version. */
  record?: VersionRecord;
  /** Every provider the candidate has a contract with, and its deployment record in the environment. */
  providerDeployments: ReadonlyMap<string, DeploymentRecord | undefined>;
  /** The version records of consumer versions deployed in the environment that have a contract with the candidate. */
  deployedConsumers: readonly VersionRecord[];
}

/** The records a verdict is made from, keyed by verificationKey, contract hash and specKey. */
export interface Evidence {
  verifications: ReadonlyMap<string, VerificationRecord>;
  contracts: ReadonlyMap<string, ContractRecord>;
  /** Provider versions' specs; a provider version with no published spec is absent. */
  specs: ReadonlyMap<string, OpenApiDocument>;
}

export interface CanIDeployResult {
  service: string;
  version: string;
  environment: string;
  policy: CompatibilityPolicy;
  verdict: Verdict;
  /** Whether the contracts repository has a record of the candidate version. */
  versionKnown: boolean;
  /** One line saying why the verdict is what it is. */
  summary: string;
  pairs: PairResult[];
}

export function verificationKey(provider: string, providerVersion: string, contract: string): string {
  return `${provider}@${providerVersion}#${contract}`;
}

export function specKey(provider: string, providerVersion: string): string {
  return `${provider}@${providerVersion}`;
}

/**
 * Every pair the candidate takes part in: as a consumer, each provider it has
 * a contract with, at each version deployed in the environment (or once,
 * without a version, when none is); as a provider, each consumer version
 * deployed there that has a contract with it.
 */
export function pairsToCheck(facts: CandidateFacts): Pair[] {
  const pairs: Pair[] = [];
  const contracts = facts.record?.contracts ?? {};
  for (const provider of Object.keys(contracts).sort()) {
    const contract = contracts[provider]!.hash;
    const base = {
      direction: 'as-consumer' as const,
      consumer: facts.service,
      consumerVersion: facts.version,
      provider,
      contract,
    };
    const deployed = facts.providerDeployments.get(provider)?.deployed ?? [];
    if (deployed.length === 0) pairs.push(base);
    for (const { version } of deployed) pairs.push({ ...base, providerVersion: version });
  }
  const consumers = [...facts.deployedConsumers].sort(
    (a, b) => compareText(a.service, b.service) || compareText(a.version, b.version),
  );
  for (const consumer of consumers) {
    const contract = consumer.contracts?.[facts.service]?.hash;
    if (!contract) continue;
    pairs.push({
      direction: 'as-provider',
      consumer: consumer.service,
      consumerVersion: consumer.version,
      provider: facts.service,
      providerVersion: facts.version,
      contract,
    });
  }
  return pairs;
}

/** Whether the policy lets a static check decide a pair with this verification outcome. */
export function staticCheckNeeded(policy: CompatibilityPolicy, verification: VerificationOutcome): boolean {
  if (verification === 'failed' || policy === 'verified') return false;
  return policy === 'static' || verification === 'missing';
}

/**
 * What the records say about a pair. The static check (`check`) runs when
 * `checkStatic` is set and both the contract and the provider version's spec
 * are given.
 */
export function assessPairWith(
  evidence: { verification?: VerificationRecord; contract?: ContractRecord; spec?: OpenApiDocument },
  checkStatic: boolean,
  check: StaticCheck,
): PairAssessment {
  const { verification } = evidence;
  const verificationPart: Pick<PairAssessment, 'verification' | 'verifiedAt' | 'firstMismatch'> =
    verification === undefined
      ? { verification: 'missing' }
      : {
          verification: verificationOutcome(verification),
          verifiedAt: verification.verifiedAt,
          ...(verification.success ? {} : { firstMismatch: firstMismatch(verification) }),
        };
  if (!checkStatic) return { ...verificationPart, static: 'not-checked', findings: [] };
  if (!evidence.spec || !evidence.contract) return { ...verificationPart, static: 'no-spec', findings: [] };
  const { findings, compatible } = check(evidence.contract, evidence.spec);
  return { ...verificationPart, static: compatible ? 'passed' : 'failed', findings };
}

/** The verdict of a pair under a policy, and the reason in words. */
export function judgePair(
  pair: Pair,
  assessment: PairAssessment,
  policy: CompatibilityPolicy,
  environment: string,
): { verdict: Verdict; reason: string } {
  if (pair.providerVersion === undefined) {
    return { verdict: 'no', reason: `${pair.provider} is not deployed in ${environment}` };
  }
  const provider = `${pair.provider}@${pair.providerVersion}`;
  const contract = `contract ${pair.contract.slice(0, 8)}`;
  if (assessment.verification === 'failed') {
    return {
      verdict: 'no',
      reason: `verification of ${contract} by ${provider} failed: ${assessment.firstMismatch}`,
    };
  }
  if (assessment.verification === 'passed' && policy !== 'static') {
    return { verdict: 'yes', reason: `${contract} verified by ${provider} (${assessment.verifiedAt})` };
  }
  if (policy === 'verified') {
    return {
      verdict: 'unknown',
      reason: `${contract} has no verification by ${provider} yet (policy: verified)`,
    };
  }
  const noVerification = policy === 'verified-or-static' ? 'no verification yet; ' : '';
  switch (assessment.static) {
    case 'passed':
      return {
        verdict: 'yes',
        reason: `${noVerification}static check of ${contract} against ${provider}'s spec passed`,
      };
    case 'failed':
      return {
        verdict: 'no',
        reason: `${noVerification}static check against ${provider}'s spec: ${describeFindings(assessment.findings)}`,
      };
    default:
      return {
        verdict: 'unknown',
        reason: `${noVerification}${provider} has no published spec to check ${contract} against`,
      };
  }
}

/** A verification record's outcome; no record is `missing`. */
export function verificationOutcome(record: VerificationRecord | undefined): VerificationOutcome {
  return record === undefined ? 'missing' : record.success ? 'passed' : 'failed';
}

/**
 * What the evidence says about a pair whose provider version is known;
 * `checkStatic` tells, from the verification outcome, whether the static
 * check runs.
 */
export function assessFromEvidence(
  pair: Pair & { providerVersion: string },
  evidence: Evidence,
  checkStatic: (verification: VerificationOutcome) => boolean,
  check: StaticCheck,
): PairAssessment {
  const verification = evidence.verifications.get(
    verificationKey(pair.provider, pair.providerVersion, pair.contract),
  );
  const contract = evidence.contracts.get(pair.contract);
  const spec = evidence.specs.get(specKey(pair.provider, pair.providerVersion));
  return assessPairWith(
    {
      ...(verification ? { verification } : {}),
      ...(contract ? { contract } : {}),
      ...(spec ? { spec } : {}),
    },
    checkStatic(verificationOutcome(verification)),
    check,
  );
}

/** The whole verdict: every pair judged, the ignored ones shown but not counted. */
export function decideWith(facts: CandidateFacts, evidence: Evidence, check: StaticCheck): CanIDeployResult {
  const pairs = pairsToCheck(facts).map((pair): PairResult => {
    const { providerVersion } = pair;
    const assessment =
      providerVersion === undefined
        ? assessPairWith({}, false, check)
        : assessFromEvidence(
            { ...pair, providerVersion },
            evidence,
            (outcome) => staticCheckNeeded(facts.policy, outcome),
            check,
          );
    const partner = pair.direction === 'as-consumer' ? pair.provider : pair.consumer;
    return {
      ...pair,
      ...assessment,
      ...judgePair(pair, assessment, facts.policy, facts.environment),
      ignored: facts.ignore.includes(partner),
    };
  });
  const counted = pairs.filter((p) => !p.ignored);
  const versionKnown = facts.record !== undefined;
  const verdict: Verdict = counted.some((p) => p.verdict === 'no')
    ? 'no'
    : counted.some((p) => p.verdict === 'unknown') || !versionKnown
      ? 'unknown'
      : 'yes';
  return {
    service: facts.service,
    version: facts.version,
    environment: facts.environment,
    policy: facts.policy,
    verdict,
    versionKnown,
    summary: summarize(facts, counted, verdict, versionKnown),
    pairs,
  };
}

/** 0 yes, 1 no, 2 unknown. */
export function verdictExitCode(verdict: Verdict): ExitCode {
  return verdict === 'yes' ? ExitCode.Ok : verdict === 'no' ? ExitCode.ContractProblem : ExitCode.Unknown;
}

function summarize(
  facts: CandidateFacts,
  counted: readonly PairResult[],
  verdict: Verdict,
  versionKnown: boolean,
): string {
  const candidate = `${facts.service}@${facts.version}`;
  const count = (v: Verdict) => counted.filter((p) => p.verdict === v).length;
  if (verdict === 'no') {
    return `${candidate} cannot be deployed to ${facts.environment}: ${count('no')} of ${counted.length} pairs are not compatible`;
  }
  if (!versionKnown) {
    const pending = count('unknown') ? `; ${count('unknown')} of ${counted.length} pairs have no result` : '';
    return `${candidate} is not in the contracts repository: publish its spec or contracts before asking${pending}`;
  }
  if (verdict === 'unknown') {
    return `not known yet whether ${candidate} can be deployed to ${facts.environment}: ${count('unknown')} of ${counted.length} pairs have no result`;
  }
  return counted.length === 0
    ? `${candidate} can be deployed to ${facts.environment}: it has no contract partners there`
    : `${candidate} can be deployed to ${facts.environment}: all ${counted.length} pairs are compatible`;
}

function firstMismatch(verification: VerificationRecord): string {
  for (const interaction of verification.interactions) {
    if (interaction.success) continue;
    const mismatch = interaction.mismatches[0] ?? interaction.specDrift?.[0];
    const what = mismatch ? `${mismatch.path}: ${mismatch.message}` : (interaction.error ?? 'failed');
    return `${interaction.description ?? interaction.operation} ${what}`;
  }
  return 'the verification is marked failed';
}

function describeFindings(findings: readonly StaticFinding[]): string {
  const errors = findings.filter((f) => f.level === 'error');
  const first = errors[0];
  if (!first) return 'no errors';
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return `${first.operation} ${first.message}${more}`;
}
