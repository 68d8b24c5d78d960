/**
 * GitHub's real REST API description through the mock: every GET operation
 * callable without inventing required inputs (see probe.ts for exactly which)
 * must be answered with a response that validates against the spec.
 * The spec comes from `@octokit/openapi` (pinned in test/helpers/corpora.ts),
 * fetched on demand into the corpora cache, never a dependency.
 */
import { beforeAll, expect, it } from 'vitest';
import type { OpenApiDocument } from '../../src/index.js';
import { loadSpec } from '../../src/openapi/load.js';
import { GITHUB, githubSpecFile } from '../helpers/corpora.js';
import { describeReport, probeGetOperations } from './probe.js';

const THRESHOLD = 0.99;
let document: OpenApiDocument;

let warnings: string[];

beforeAll(async () => {
  // Loaded as publish-spec loads it: parsed, bundled, validated.
  ({ document, warnings } = await loadSpec(await githubSpecFile()));
}, 300_000);

it('is accepted by publish-spec, its two indistinguishable path templates only warned about', () => {
  expect(warnings).toHaveLength(2);
  for (const warning of warnings) expect(warning).toMatch(/only parameter names differ/);
});

it(`serves a valid response for at least ${THRESHOLD * 100} % of GitHub's callable GET operations`, async () => {
  const report = await probeGetOperations(`${GITHUB.name}@${GITHUB.version}`, document);
  console.info(describeReport(report));
  expect(report.callable).toBeGreaterThan(500);
  expect(report.share).toBeGreaterThanOrEqual(THRESHOLD);
}, 300_000);
