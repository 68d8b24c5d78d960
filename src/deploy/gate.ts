/**
 * The deploy gate's pure parts as the library exports them: the verdict
 * functions of src/deploy/verdict.ts with the static check bound in, for
 * scripts that hold records and specs in memory.
 */
import { checkPairStatically } from './static-evidence.js';
import {
  assessPairWith,
  type CandidateFacts,
  type CanIDeployResult,
  decideWith,
  type Evidence,
  type PairAssessment,
} from './verdict.js';

/**
 * What the records say about a pair. The static check runs when `checkStatic`
 * is set and both the contract and the provider version's spec are given.
 */
export function assessPair(
  evidence: Parameters<typeof assessPairWith>[0],
  checkStatic: boolean,
): PairAssessment {
  return assessPairWith(evidence, checkStatic, checkPairStatically);
}

/** The whole verdict: every pair judged, the ignored ones shown but not counted. */
export function decideCanIDeploy(facts: CandidateFacts, evidence: Evidence): CanIDeployResult {
  return decideWith(facts, evidence, checkPairStatically);
}
