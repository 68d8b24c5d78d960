/**
 * GitHub's real REST API description through the mock: every GET operation
 * callable without inventing required inputs (see probe.ts for exactly which)
 * must be answered with a response that validates against the spec.
 * The spec comes from `@octokit/openapi` (pinned in test/helpers/corpora.ts),
 * fetched on demand into the corpora cache, never a dependency.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, expect, it } from 'vitest';
import type { OpenApiDocument } from '../../src/index.js';
import { GITHUB, githubSpecFile } from '../helpers/corpora.js';
import { describeReport, probeGetOperations } from './probe.js';

const THRESHOLD = 0.99;
let document: OpenApiDocument;

beforeAll(async () => {
  // The bundled JSON is parsed directly: loadSpec refuses this spec (two templates differ only
  // by parameter names, which OpenAPI forbids), and parsing is all the mock needs.
  document = JSON.parse(readFileSync(await githubSpecFile(), 'utf8')) as OpenApiDocument;
}, 300_000);

it(`serves a valid response for at least ${THRESHOLD * 100} % of GitHub's callable GET operations`, async () => {
  const report = await probeGetOperations(`${GITHUB.name}@${GITHUB.version}`, document);
  console.info(describeReport(report));
  expect(report.callable).toBeGreaterThan(500);
  expect(report.share).toBeGreaterThanOrEqual(THRESHOLD);
}, 300_000);
