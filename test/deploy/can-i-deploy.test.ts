import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli } from '../helpers/cli.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';
import { createWorld, type World } from './reference-scenario.js';

interface PairJson {
  direction: string;
  consumer: string;
  consumerVersion: string;
  provider: string;
  providerVersion?: string;
  verdict: string;
  reason: string;
  ignored: boolean;
  verification: string;
  static: string;
  findings: { code: string; path?: string }[];
}
interface ResultJson {
  verdict: string;
  exitCode: number;
  attempts: number;
  pairs: PairJson[];
}

let sandbox: Sandbox;
let world: World;
const hashes: Record<string, string> = {};

async function canIDeploy(service: string, version: string, environment: string, ...extra: string[]) {
  const run = await world.cli(
    'can-i-deploy',
    '--service',
    service,
    '--version',
    version,
    '--environment',
    environment,
    ...extra,
  );
  return run;
}

async function verdictJson(service: string, version: string, environment: string, ...extra: string[]) {
  const run = await canIDeploy(service, version, environment, '--json', ...extra);
  const result = JSON.parse(run.stdout) as ResultJson;
  expect(run.code).toBe(extra.includes('--dry-run') ? 0 : result.exitCode);
  return result;
}

function pair(result: ResultJson, consumer: string, provider: string): PairJson {
  const found = result.pairs.find((p) => p.consumer === consumer && p.provider === provider);
  if (!found) throw new Error(`no pair ${consumer} → ${provider} in ${JSON.stringify(result.pairs)}`);
  return found;
}

beforeAll(async () => {
  sandbox = createSandbox();
  world = await createWorld(sandbox);
  await world.publishSpec('1.0.0', 'string');
  hashes.oddJobs = await world.recordContract('odd-jobs', '1.0.0', { available: true });
  hashes.materials = await world.recordContract('materials', '1.0.0', { stock: '12' });
  await world.deploy('contractors', '1.0.0', 'production');
  await world.deploy('odd-jobs', '1.0.0', 'production');
  await world.deploy('materials', '1.0.0', 'production');
  // publish-spec already warns; can-i-deploy is the gate.
  const published = await world.publishSpec('2.0.0', 'integer');
  expect(published.stderr).toContain('1 breaking change, hurting materials');
}, 60_000);
afterAll(() => sandbox.cleanup());

describe('the reference scenario (stock: string → integer)', () => {
  it("refuses Contractors' new version, naming Team Materials and stock; Odd Jobs' pair passes", async () => {
    const run = await canIDeploy('contractors', '2.0.0', 'production');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /materials@1\.0\.0\s+contractors@2\.0\.0\s+no\s+no verification yet; static check/,
    );
    expect(run.stdout).toMatch(/odd-jobs@1\.0\.0\s+contractors@2\.0\.0\s+yes/);
    expect(run.stdout).toContain(
      'response.body.incompatible getContractor stock: $.stock: received string ("12"), the spec says integer',
    );
    expect(run.stdout).toContain('✘ no: contractors@2.0.0 cannot be deployed to production: 1 of 2 pairs');

    const result = await verdictJson('contractors', '2.0.0', 'production');
    expect(result.verdict).toBe('no');
    expect(pair(result, 'materials', 'contractors')).toMatchObject({
      direction: 'as-provider',
      verdict: 'no',
      verification: 'missing',
      static: 'failed',
      findings: [{ code: 'response.body.incompatible', path: 'stock' }],
    });
    expect(pair(result, 'odd-jobs', 'contractors')).toMatchObject({ verdict: 'yes', static: 'passed' });
  });

  it("entente status shows the matrix: deployed versions and each service's latest main version", async () => {
    const status = await world.cli('status', '--environment', 'production', '--json');
    expect(status.code).toBe(0);
    const [production] = JSON.parse(status.stdout).matrix as {
      environment: string;
      cells: {
        consumer: string;
        provider: string;
        providerVersion: string;
        static: string;
        verdict: string;
      }[];
    }[];
    expect(production!.environment).toBe('production');
    expect(
      production!.cells.map(
        (c) => `${c.consumer} ${c.provider}@${c.providerVersion} ${c.static} ${c.verdict}`,
      ),
    ).toEqual([
      'materials contractors@1.0.0 passed yes',
      'materials contractors@2.0.0 failed no',
      'odd-jobs contractors@1.0.0 passed yes',
      'odd-jobs contractors@2.0.0 passed yes',
    ]);
    const text = await world.cli('status', '--environment', 'production');
    expect(text.stdout).toContain(
      'Compatibility in production (* deployed there, ^ latest on a main branch):',
    );
    expect(text.stdout).toMatch(/materials@1\.0\.0 \*\^\s+contractors@2\.0\.0 \^\s+missing\s+failed\s+no/);
  });

  it('lets Contractors deploy once Materials publishes and runs a contract that reads stock as an integer', async () => {
    hashes.materialsNext = await world.recordContract('materials', '1.1.0', { stock: 12 });
    // Materials' own gate tells the truth: production still runs contractors@1.0.0 (stock a string).
    const early = await verdictJson('materials', '1.1.0', 'production');
    expect(early.verdict).toBe('no');
    expect(pair(early, 'materials', 'contractors')).toMatchObject({
      direction: 'as-consumer',
      providerVersion: '1.0.0',
      findings: [{ code: 'response.body.incompatible', path: 'stock' }],
    });
    await world.deploy('materials', '1.1.0', 'production');

    const run = await canIDeploy('contractors', '2.0.0', 'production');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/materials@1\.1\.0\s+contractors@2\.0\.0\s+yes/);
    expect(run.stdout).toContain(
      '✔ yes: contractors@2.0.0 can be deployed to production: all 2 pairs are compatible',
    );
    await world.deploy('contractors', '2.0.0', 'production');
    expect((await verdictJson('materials', '1.1.0', 'production')).verdict).toBe('yes');

    // status lists the versions in play; materials@1.0.0, replaced everywhere, only with --all-versions.
    const listed = async (...flags: string[]) => {
      const run = await world.cli('status', '--no-matrix', '--json', ...flags);
      const report = JSON.parse(run.stdout) as {
        services: { service: string; versions: { version: string }[] }[];
      };
      return report.services.find((s) => s.service === 'materials')!.versions.map((v) => v.version);
    };
    expect(await listed()).toEqual(['1.1.0']);
    expect(await listed('--all-versions')).toEqual(['1.1.0', '1.0.0']);
  });
});

describe('verdicts in both directions', () => {
  it('a provider not deployed in the environment is a no, unless ignored', async () => {
    await world.deploy('odd-jobs', '1.0.0', 'staging');
    const run = await canIDeploy('odd-jobs', '1.0.0', 'staging');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /odd-jobs@1\.0\.0\s+contractors\s+no\s+contractors is not deployed in staging/,
    );

    const ignored = await verdictJson('odd-jobs', '1.0.0', 'staging', '--ignore', 'contractors');
    expect(ignored.verdict).toBe('yes');
    expect(pair(ignored, 'odd-jobs', 'contractors')).toMatchObject({ verdict: 'no', ignored: true });

    const dry = await canIDeploy('odd-jobs', '1.0.0', 'staging', '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('Dry run: exiting 0 instead of 1.');
  });

  it('under policy verified: unknown without a verification, yes with one, inherited by an identical contract', async () => {
    await world.writePolicy('compatibility: verified\nenvironments: [production, staging]\n');
    const unknown = await canIDeploy('odd-jobs', '1.0.0', 'production');
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toMatch(/unknown\s+contract \w{8} has no verification by contractors@2\.0\.0 yet/);
    expect((await verdictJson('contractors', '2.0.0', 'production')).verdict).toBe('unknown');

    await world.writeVerification({
      provider: 'contractors',
      providerVersion: '2.0.0',
      contract: hashes.oddJobs!,
      consumer: 'odd-jobs',
      success: true,
    });
    const verified = await verdictJson('odd-jobs', '1.0.0', 'production');
    expect(verified.verdict).toBe('yes');
    expect(pair(verified, 'odd-jobs', 'contractors').reason).toMatch(/verified by contractors@2\.0\.0/);

    // Odd Jobs 1.0.1 records the same exchange against the same mock (contractors@1.0.0): the same
    // content, stored once, inherits the verification.
    expect(await world.recordContract('odd-jobs', '1.0.1', { available: true }, '1.0.0')).toBe(
      hashes.oddJobs,
    );
    const inherited = await verdictJson('odd-jobs', '1.0.1', 'production');
    expect(inherited.verdict).toBe('yes');
    expect(pair(inherited, 'odd-jobs', 'contractors')).toMatchObject({ verification: 'passed' });

    // As a provider, Materials' deployed version still waits for its verification.
    const provider = await verdictJson('contractors', '2.0.0', 'production');
    expect(provider.verdict).toBe('unknown');
    expect(pair(provider, 'odd-jobs', 'contractors').verdict).toBe('yes');
    expect(pair(provider, 'materials', 'contractors').verdict).toBe('unknown');
  });

  it('an undeclared environment is refused when entente.yml declares them', async () => {
    const run = await canIDeploy('contractors', '2.0.0', 'prod');
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(
      '--environment: environment "prod" is not declared in the contracts repository\'s entente.yml (declared: production, staging)',
    );
  });

  it('--retry-while-unknown reads the repository again and turns into yes when the verification lands', async () => {
    const cache = sandbox.dir('waiting-cache');
    mkdirSync(cache);
    const waiting = startCli(
      [
        'can-i-deploy',
        '--service',
        'contractors',
        '--version',
        '2.0.0',
        '--environment',
        'production',
        '--retry-while-unknown',
        '100',
        '--retry-interval',
        '0.2',
        '--json',
      ],
      { cwd: world.cwd, env: { ...world.env, ENTENTE_CACHE_DIR: cache } },
    );
    // Its first fetch is done (the cache records the commit it read) before the verification lands.
    while (
      !readdirSync(cache, { recursive: true }).some((p) =>
        String(p).endsWith(join('refs', 'entente', 'last')),
      )
    ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await world.writeVerification({
      provider: 'contractors',
      providerVersion: '2.0.0',
      contract: hashes.materialsNext!,
      consumer: 'materials',
      success: true,
    });
    const done = await waiting.done;
    expect(done.code).toBe(0);
    const result = JSON.parse(done.stdout) as ResultJson;
    expect(result.verdict).toBe('yes');
    expect(result.attempts).toBeGreaterThan(1);
    expect(pair(result, 'materials', 'contractors')).toMatchObject({
      verdict: 'yes',
      verification: 'passed',
    });
  });

  it('a failed verification is a no even where the static check passes', async () => {
    await world.writePolicy('compatibility: verified-or-static\n');
    await world.writeVerification({
      provider: 'contractors',
      providerVersion: '2.0.0',
      contract: hashes.oddJobs!,
      consumer: 'odd-jobs',
      success: false,
      mismatch: 'expected boolean, received string',
    });
    const asProvider = await verdictJson('contractors', '2.0.0', 'production');
    expect(asProvider.verdict).toBe('no');
    expect(pair(asProvider, 'odd-jobs', 'contractors')).toMatchObject({
      verdict: 'no',
      verification: 'failed',
      static: 'not-checked',
    });
    expect(pair(asProvider, 'odd-jobs', 'contractors').reason).toContain(
      'failed: getContractor $.available: expected boolean, received string',
    );
    const asConsumer = await canIDeploy('odd-jobs', '1.0.1', 'production');
    expect(asConsumer.code).toBe(1);
    expect(asConsumer.stdout).toMatch(
      /odd-jobs@1\.0\.1\s+contractors@2\.0\.0\s+no\s+verification of contract/,
    );
  });
});
