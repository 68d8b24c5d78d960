/**
 * A typo cannot open the gate: an environment or a service the contracts
 * repository does not know is bad input (exit 3) with suggestions, and a
 * deployment of a version it has never seen is refused unless asked for.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';
import { canIDeploy, createWorld, setUpBreakingChange, type World } from './reference-scenario.js';

let sandbox: Sandbox;
let world: World;

beforeAll(async () => {
  sandbox = createSandbox();
  world = await createWorld(sandbox);
  await setUpBreakingChange(world);
}, 60_000);
afterAll(() => sandbox.cleanup());

const head = async () => (await sandbox.git(world.remote, 'rev-parse', 'main')).trim();
const gate = (service: string, version: string, environment: string, ...extra: string[]) =>
  canIDeploy(world, service, version, environment, ...extra);
const recordDeployment = (service: string, version: string, environment: string, ...extra: string[]) =>
  world.cli(
    'record-deployment',
    '--service',
    service,
    '--version',
    version,
    '--environment',
    environment,
    ...extra,
  );

describe('can-i-deploy', () => {
  it('refuses an environment where nothing was ever deployed, naming the known ones', async () => {
    // The breaking contractors@2.0.0 would otherwise be "no contract partners there": a yes.
    const run = await gate('contractors', '2.0.0', 'prod');
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(
      '--environment: environment "prod" is unknown to the contracts repository: no deployment was ever recorded there and entente.yml declares no environments (known: production) (did you mean "production"?); a first deployment introduces one with record-deployment --new-environment',
    );
    const json = await gate('contractors', '2.0.0', 'prod', '--json');
    expect(json.code).toBe(3);
    expect(JSON.parse(json.stdout).error).toMatchObject({ code: 'input.environment-unknown' });
  });

  it('refuses a service the repository has never heard of, with suggestions', async () => {
    const run = await gate('contractor', '2.0.0', 'production');
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(
      '--service: service "contractor" is unknown to the contracts repository: no spec, contract, version or deployment was ever recorded for it (did you mean "contractors"?)',
    );
    expect(run.stderr).toContain('known services: contractors, materials');
  });

  it('a version of a known service the repository has not seen stays unknown (exit 2), never yes', async () => {
    const run = await gate('contractors', '9.9.9', 'production');
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('contractors@9.9.9 is not in the contracts repository');
  });
});

describe('record-deployment', () => {
  it('refuses a version the repository does not know, and records nothing', async () => {
    const before = await head();
    const run = await recordDeployment('contractors', '9.9.9', 'production');
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(
      '--version: contractors@9.9.9 is unknown to the contracts repository (no spec or contracts were published for it)',
    );
    expect(run.stderr).toContain('--allow-unknown-version');
    const close = await recordDeployment('contractors', '2.0.1', 'production');
    expect(close.code).toBe(3);
    expect(close.stderr).toContain('(did you mean "2.0.0" or "1.0.0"?)');
    expect(await head()).toBe(before);
    // So the breaking provider is still refused: the real 1.0.0 consumer pair stands.
    expect((await gate('contractors', '2.0.0', 'production')).code).toBe(1);
  });

  it('refuses an unknown service and an unknown environment, with suggestions, recording nothing', async () => {
    const before = await head();
    const service = await recordDeployment('material', '1.0.0', 'production');
    expect(service.code).toBe(3);
    expect(service.stderr).toContain('service "material" is unknown');
    expect(service.stderr).toContain('(did you mean "materials"?)');
    const environment = await recordDeployment('materials', '1.0.0', 'productoin');
    expect(environment.code).toBe(3);
    expect(environment.stderr).toContain('environment "productoin" is unknown');
    expect(environment.stderr).toContain('(did you mean "production"?)');
    expect(environment.stderr).toContain('record-deployment --new-environment');
    expect(await head()).toBe(before);
  });

  it('--new-environment introduces an environment; --allow-unknown-version records an unseen version', async () => {
    const staging = await recordDeployment('contractors', '1.0.0', 'staging', '--new-environment');
    expect(staging.code).toBe(0);
    expect((await gate('materials', '1.0.0', 'staging')).code).toBe(0);
    const unseen = await recordDeployment('contractors', '9.9.9', 'staging', '--allow-unknown-version');
    expect(unseen.code).toBe(0);
    expect(unseen.stderr).toContain('contractors@9.9.9 has no spec or contracts in the contracts repository');
    // Judged against a provider version with no spec and no verification: unknown, not yes.
    expect((await gate('materials', '1.0.0', 'staging')).code).toBe(2);
  });

  it('when entente.yml declares the environments, that list decides, even with --new-environment', async () => {
    await world.writePolicy('environments: [production, staging]\n');
    const run = await recordDeployment('contractors', '1.0.0', 'qa', '--new-environment');
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(
      '--environment: environment "qa" is not declared in the contracts repository\'s entente.yml (declared: production, staging)',
    );
    const typo = await gate('contractors', '2.0.0', 'stagign');
    expect(typo.code).toBe(3);
    expect(typo.stderr).toContain('(did you mean "staging"?)');
  });
});
