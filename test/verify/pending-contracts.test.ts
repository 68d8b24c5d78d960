/**
 * Pending contracts, as Pact users rely on them, through the real CLI: a new
 * consumer contract that fails leaves the provider's verify green and the
 * consumer's can-i-deploy no; once verified successfully, a regression fails
 * the provider. Work in progress from consumer branches is pending too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OutgoingResponse, startCastleService } from '../../examples/castle-service/service.js';
import { runCli } from '../helpers/cli.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';
import { openStore, providerJob, recordCastleClient } from './world.js';

let sandbox: Sandbox;
let cwd: string;
let env: Record<string, string>;

beforeAll(async () => {
  sandbox = createSandbox();
  ({ cwd, env } = await providerJob(sandbox));
});

afterAll(() => sandbox.cleanup());

/** castle-service stops sending `name`: castle-client relies on it. */
const dropName = (response: OutgoingResponse): OutgoingResponse => {
  const strip = (value: unknown) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const { name: _name, ...rest } = value as Record<string, unknown>;
      return rest;
    }
    return value;
  };
  return {
    ...response,
    body: Array.isArray(response.body) ? response.body.map(strip) : strip(response.body),
  };
};

async function verify(version: string, present: typeof dropName | undefined, ...more: string[]) {
  const service = await startCastleService({ stateEndpoint: '/_states', ...(present ? { present } : {}) });
  try {
    return await runCli(
      [
        'verify',
        '--provider',
        'castle-service',
        '--version',
        version,
        '--branch',
        'main',
        '--base-url',
        service.url,
        '--state-url',
        `${service.url}/_states`,
        '--header',
        'Authorization: Bearer provider-test-token',
        ...more,
      ],
      { cwd, env },
    );
  } finally {
    await service.close();
  }
}

const canIDeploy = () =>
  runCli(
    ['can-i-deploy', '--service', 'castle-client', '--version', '1.0.0', '--environment', 'production'],
    {
      cwd,
      env,
    },
  );

describe('pending contracts in entente verify', () => {
  it('a never-verified contract that fails: verify passes (pending), the failure is recorded, can-i-deploy says no', async () => {
    const strict = await verify('1.0.0', dropName, '--fail-on-pending', '--no-publish');
    expect(strict.code).toBe(1);

    const result = await verify('1.0.0', dropName);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain(
      'pending: no version of castle-service has verified it successfully yet, so it does not fail this verification',
    );
    expect(result.stdout).toContain('failed, all in pending contracts: the verification passes');
    expect(result.stdout).toContain('$.name: missing');
    expect(result.stdout).toContain('Recorded 1 verification result');
    expect(result.code).toBe(0);

    const deployed = await runCli(
      [
        'record-deployment',
        '--service',
        'castle-service',
        '--version',
        '1.0.0',
        '--environment',
        'production',
        '--new-environment',
      ],
      { cwd, env },
    );
    expect(deployed.code).toBe(0);
    const gate = await canIDeploy();
    expect(gate.stdout).toContain('castle-service@1.0.0  no');
    expect(gate.stdout).toMatch(/by castle-service@1\.0\.0 failed: \w+ \$\.name/);
    expect(gate.code).toBe(1);
  });

  it('once a provider version verified it successfully, a regression fails the provider', async () => {
    const good = await verify('1.1.0', undefined);
    expect(good.stdout).toContain('pending until now');
    expect(good.code).toBe(0);

    const regression = await verify('1.2.0', dropName);
    expect(regression.stdout).not.toContain('pending');
    expect(regression.stdout).toContain('$.name: missing');
    expect(regression.code).toBe(1);
  });

  it("--include-wip-since adds consumers' other branches, pending", async () => {
    await recordCastleClient(await openStore(sandbox, env.ENTENTE_CONTRACTS!), {
      version: '0.1.0',
      consumer: 'castle-admin',
      branch: 'feature/audit',
      pendingRoot: sandbox.root,
      reliesOn: { listCastles: ['[].name'] },
    });
    const without = await verify('1.3.0', dropName, '--no-publish');
    expect(without.stdout).not.toContain('castle-admin');

    const tooLate = await verify('1.3.0', undefined, '--no-publish', '--include-wip-since', '2026-12-01');
    expect(tooLate.stdout).not.toContain('castle-admin');

    const wip = await verify('1.3.0', dropName, '--no-publish', '--include-wip-since', '2026-11-01');
    expect(wip.stdout).toContain('castle-admin contract');
    expect(wip.stdout).toContain('0.1.0 on feature/audit (work in progress)');
    expect(wip.stdout).toMatch(/castle-admin contract [0-9a-f]{12} .*\(pending: /);
    // castle-client's contract is held: it was verified successfully by 1.1.0.
    expect(wip.code).toBe(1);

    const bad = await verify('1.3.0', undefined, '--include-wip-since', 'last week');
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain('--include-wip-since: "last week" is not a date');
  });
});
