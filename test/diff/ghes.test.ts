/**
 * `entente diff` through the real CLI on GitHub Enterprise Server's real
 * specs (about 11 MB each, from `@octokit/openapi`, fetched on demand into
 * the corpora cache), consecutive versions: it loads, validates and compares
 * them cleanly, and the counts per rule are pinned in the snapshot.
 */
import { describe, expect, it } from 'vitest';
import { diffRules } from '../../src/openapi/diff/rules.js';
import { runCli } from '../helpers/cli.js';
import { GHES_VERSIONS, ghesSpecFiles } from '../helpers/corpora.js';
import { createSandbox } from '../helpers/sandbox.js';

describe('entente diff on GitHub Enterprise Server specs', () => {
  it('compares consecutive versions cleanly and reports counts per rule', { timeout: 300_000 }, async () => {
    const files = await ghesSpecFiles();
    const sandbox = createSandbox();
    try {
      const pairs = GHES_VERSIONS.slice(1).map((version, i) => ({
        name: `ghes-${GHES_VERSIONS[i]} → ghes-${version}`,
        base: files[i]!,
        revision: files[i + 1]!,
      }));
      const results = await Promise.all(
        pairs.map((pair) =>
          runCli(['diff', pair.base, pair.revision, '--json'], { cwd: sandbox.root, env: sandbox.env }),
        ),
      );
      const counts: Record<string, unknown> = {};
      for (const [i, result] of results.entries()) {
        expect(result.stderr).toBe('');
        const report = JSON.parse(result.stdout);
        expect(result.code).toBe(report.summary.error > 0 ? 1 : 0);
        expect(report.findings.length).toBeGreaterThan(0);
        const perRule = report.counts as Record<string, number>;
        expect(Object.keys(perRule).every((rule) => rule in diffRules)).toBe(true);
        expect(Object.values(perRule).reduce((sum, n) => sum + n, 0)).toBe(report.findings.length);
        counts[pairs[i]!.name] = { summary: report.summary, perRule };
      }
      expect(counts).toMatchSnapshot();
    } finally {
      sandbox.cleanup();
    }
  });
});
