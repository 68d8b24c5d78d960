/**
 * `entente diff` and the `publish-spec` warning through the real CLI: files,
 * a git ref of a real repository, and a provider version from a contracts
 * repository (a bare remote) with real consumer contracts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Interaction } from '../../src/model/records.js';
import { writePending } from '../../src/record/pending.js';
import { publishPending } from '../../src/record/publish.js';
import { ContractsStore } from '../../src/store/store.js';
import { runCli } from '../helpers/cli.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';

const NOW = '2026-03-01T12:00:00.000Z';

/** Team Contractors' spec: `GET /contractor` with `available` and `stock`, optionally a `region` filter. */
function contractorsSpec(
  stock: 'string' | 'integer',
  options: { region?: boolean; schemaRef?: string } = {},
) {
  const schema = options.schemaRef
    ? `$ref: '${options.schemaRef}'`
    : `type: object
                required: [available, stock, name]
                properties:
                  available: { type: boolean }
                  stock: { type: ${stock} }
                  name: { type: string }`;
  return `openapi: 3.0.3
info: { title: Contractors, version: '1' }
paths:
  /contractor:
    get:
      operationId: getContractor
${options.region ? '      parameters:\n        - { name: region, in: query, schema: { type: string } }\n' : ''}      responses:
        '200':
          description: the contractor
          content:
            application/json:
              schema:
                ${schema}
`;
}

const contractorSchema = (stock: string) => `type: object
required: [available, stock, name]
properties:
  available: { type: boolean }
  stock: { type: ${stock} }
  name: { type: string }
`;

let sandbox: Sandbox;
let project: string;
beforeAll(() => {
  sandbox = createSandbox();
  project = sandbox.dir('contractors');
  mkdirSync(project);
  writeFileSync(join(project, 'v1.yaml'), contractorsSpec('string'));
  writeFileSync(join(project, 'v2.yaml'), contractorsSpec('integer'));
  writeFileSync(join(project, 'v1-region.yaml'), contractorsSpec('string', { region: true }));
});
afterAll(() => sandbox.cleanup());

const entente = (args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) =>
  runCli(args, { cwd: options.cwd ?? project, env: options.env ?? sandbox.env });

describe('entente diff: files', () => {
  it('exits 0 without changes, 1 on a breaking one (or a warning with --fail-on warning), 3 on bad input', async () => {
    const [same, breaking, warning, failOnWarning, markdown, missing, badFailOn] = await Promise.all([
      entente(['diff', 'v1.yaml', 'v1.yaml']),
      entente(['diff', 'v1.yaml', 'v2.yaml', '--json']),
      entente(['diff', 'v1-region.yaml', 'v1.yaml']),
      entente(['diff', 'v1-region.yaml', 'v1.yaml', '--fail-on', 'warning']),
      entente(['diff', 'v1.yaml', 'v2.yaml', '--markdown']),
      entente(['diff', 'v1.yaml', 'nope.yaml']),
      entente(['diff', 'v1.yaml', 'v2.yaml', '--fail-on', 'info']),
    ]);
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('No changes found.');

    expect(breaking.code).toBe(1);
    expect(JSON.parse(breaking.stdout)).toMatchObject({
      base: 'v1.yaml',
      revision: 'v2.yaml',
      summary: { error: 1, warning: 0, info: 0 },
      counts: { 'response.body.type-changed': 1 },
      findings: [
        {
          rule: 'response.body.type-changed',
          target: { kind: 'response-body', path: 'stock' },
          counterexample: {
            instance: 0,
            acceptedBy: 'revision',
            schemas: {
              base: '/paths/~1contractor/get/responses/200/content/application~1json/schema/properties/stock',
              revision:
                '/paths/~1contractor/get/responses/200/content/application~1json/schema/properties/stock',
            },
          },
        },
      ],
      impact: null,
      failOn: 'error',
      exitCode: 1,
    });

    expect(warning.code).toBe(0);
    expect(warning.stdout).toContain('request.parameter.removed  GET /contractor (getContractor)');
    expect(failOnWarning.code).toBe(1);

    expect(markdown.code).toBe(1);
    expect(markdown.stdout).toContain('### API changes: 1 error, 0 warnings, 0 info');
    expect(markdown.stdout).toContain(
      '| `response.body.type-changed` | `GET /contractor (getContractor)` | response 200 (application/json) field `stock`: type changed from string to integer<br>e.g. `0`: the revision allows it, the base did not |',
    );

    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('nope.yaml: no such file');
    expect(badFailOn.code).toBe(3);
  });
});

describe('entente diff --ignore', () => {
  it('reports an accepted change as ignored, with its reason, without failing; a stale entry is a warning', async () => {
    writeFileSync(
      join(project, 'diff-ignore.yaml'),
      `ignore:
  - rule: response.body.type-changed
    operation: GET /contractor
    path: stock
    reason: every consumer reads stock as a number since 2.3
  - rule: request.parameter.removed
    operation: getContractor
    reason: nobody filters by region
`,
    );
    writeFileSync(join(project, 'bad-ignore.yaml'), 'ignore:\n  - rule: response.body.type-changed\n');
    const [json, text, bad] = await Promise.all([
      entente(['diff', 'v1.yaml', 'v2.yaml', '--ignore', 'diff-ignore.yaml', '--json']),
      entente(['diff', 'v1.yaml', 'v2.yaml', '--ignore', 'diff-ignore.yaml']),
      entente(['diff', 'v1.yaml', 'v2.yaml', '--ignore', 'bad-ignore.yaml']),
    ]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      summary: { error: 0, warning: 0, info: 0 },
      ignored: 1,
      inputWarnings: [
        'diff-ignore.yaml#/ignore/1 matches no finding (request.parameter.removed getContractor)',
      ],
      findings: [
        {
          rule: 'response.body.type-changed',
          level: 'error',
          ignored: { reason: 'every consumer reads stock as a number since 2.3' },
        },
      ],
      exitCode: 0,
    });
    expect(text.stdout).toContain('(was error) accepted: every consumer reads stock as a number since 2.3');
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain('bad-ignore.yaml#/ignore/0/reason: must say why the change is accepted');
  });
});

describe('entente diff: documents that are not valid OpenAPI', () => {
  /** No `responses` on the operation, and a `{id}` path parameter that is never declared. */
  const invalid = (idType: string) => `openapi: 3.0.3
info: { title: Loose, version: '1' }
paths:
  /things/{id}:
    post:
      requestBody:
        content:
          application/json:
            schema: { type: object, properties: { id: { type: ${idType} } } }
`;

  it('compares them, listing their errors as warnings; --strict refuses them', async () => {
    writeFileSync(join(project, 'loose-1.yaml'), invalid('string'));
    writeFileSync(join(project, 'loose-2.yaml'), invalid('integer'));
    const [lenient, text, strict] = await Promise.all([
      entente(['diff', 'loose-1.yaml', 'loose-2.yaml', '--json']),
      entente(['diff', 'loose-1.yaml', 'loose-2.yaml']),
      entente(['diff', 'loose-1.yaml', 'loose-2.yaml', '--strict']),
    ]);
    expect(lenient.stderr).toBe('');
    expect(lenient.code).toBe(1);
    const report = JSON.parse(lenient.stdout);
    expect(report.counts).toEqual({ 'request.body.type-changed': 1 });
    expect(report.inputWarnings).toEqual([
      expect.stringMatching(/loose-1\.yaml#\/paths\/~1things~1\{id\}\/post .*responses/),
      expect.stringMatching(/loose-2\.yaml#\/paths\/~1things~1\{id\}\/post .*responses/),
    ]);
    expect(text.stdout).toContain('in the inputs (--strict refuses them):');
    expect(strict.code).toBe(3);
    expect(strict.stderr).toContain('loose-1.yaml: not a valid OpenAPI 3.0 document');
  });
});

describe('entente diff: gitref:path', () => {
  it('reads the spec and its relative $refs at the ref, never from the working tree', async () => {
    const repo = sandbox.dir('contractors-repo');
    mkdirSync(join(repo, 'api', 'schemas'), { recursive: true });
    writeFileSync(
      join(repo, 'api', 'openapi.yaml'),
      contractorsSpec('string', { schemaRef: './schemas/contractor.yaml' }),
    );
    writeFileSync(join(repo, 'api', 'schemas', 'contractor.yaml'), contractorSchema('string'));
    await sandbox.git(repo, 'init', '--quiet');
    await sandbox.git(repo, 'add', '.');
    await sandbox.git(repo, 'commit', '--quiet', '-m', 'v1');
    await sandbox.git(repo, 'tag', 'v1');
    writeFileSync(join(repo, 'api', 'schemas', 'contractor.yaml'), contractorSchema('integer'));
    await sandbox.git(repo, 'commit', '--quiet', '-am', 'stock is an integer');
    writeFileSync(join(repo, 'api', 'schemas', 'contractor.yaml'), contractorSchema('string'));

    const [headVsWorkingTree, sameCommit, consecutive, unknown, absent] = await Promise.all([
      entente(['diff', 'main:api/openapi.yaml', 'api/openapi.yaml'], { cwd: repo }),
      entente(['diff', 'v1:./openapi.yaml', 'HEAD~1:api/openapi.yaml', '--json'], { cwd: join(repo, 'api') }),
      entente(['diff', 'HEAD~1:api/openapi.yaml', 'HEAD:api/openapi.yaml'], { cwd: repo }),
      entente(['diff', 'nope:api/openapi.yaml', 'api/openapi.yaml'], { cwd: repo }),
      entente(['diff', 'v1:api/missing.yaml', 'api/openapi.yaml'], { cwd: repo }),
    ]);
    expect(headVsWorkingTree.code).toBe(1);
    expect(headVsWorkingTree.stdout).toContain('field `stock`: type changed from integer to string');
    expect(sameCommit.code).toBe(0);
    expect(JSON.parse(sameCommit.stdout)).toMatchObject({ summary: { error: 0, warning: 0, info: 0 } });
    expect(consecutive.code).toBe(1);
    expect(consecutive.stdout).toContain('field `stock`: type changed from string to integer');
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain('nope: not a commit, branch or tag');
    expect(absent.code).toBe(3);
    expect(absent.stderr).toContain('v1:api/missing.yaml: no such file at v1');
  });
});

describe('entente diff: service@version, with consumer impact', () => {
  const id = (n: number) => String(n).padStart(64, '0');
  let env: Record<string, string>;

  /** A consumer contract as recording would publish it: what the consumer received, and what it reads. */
  async function publishContract(consumer: string, version: string, reliesOn: string[], n: number) {
    const interaction: Interaction = {
      id: id(n),
      operation: 'getContractor',
      request: { method: 'GET', path: '/contractor' },
      response: {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: { available: true, stock: '12', name: 'Bob' },
        reliesOn,
      },
    };
    const pending = sandbox.dir(`${consumer}-pending`);
    await writePending(pending, {
      consumer,
      consumerVersion: version,
      provider: 'contractors',
      branch: 'main',
      recordedAt: NOW,
      responseSource: 'fixture',
      interaction,
    });
    const store = await ContractsStore.open({
      location: { kind: 'path', path: env.ENTENTE_CONTRACTS! },
      branch: 'main',
      cacheDir: sandbox.dir(`${consumer}-cache`),
      env: sandbox.env,
    });
    await publishPending(store, pending, { now: NOW });
  }

  beforeAll(async () => {
    env = { ...sandbox.env, ENTENTE_CONTRACTS: await sandbox.bareRemote(), ENTENTE_NOW: NOW };
    const published = await entente(
      [
        'publish-spec',
        '--spec',
        'v1.yaml',
        '--service',
        'contractors',
        '--version',
        '1.0.0',
        '--branch',
        'main',
      ],
      { env },
    );
    expect(published.code).toBe(0);
    await publishContract('materials', '1.0.0', ['stock'], 1);
    await publishContract('odd-jobs', '2.0.0', ['available'], 2);
    const deployed = await entente(
      [
        'record-deployment',
        '--service',
        'odd-jobs',
        '--version',
        '2.0.0',
        '--environment',
        'production',
        '--new-environment',
      ],
      { env },
    );
    expect(deployed.code).toBe(0);
  });

  it('names the consumer relying on the changed field and leaves the other alone (stock string → integer), as text, JSON and Markdown', async () => {
    const [text, json, markdown, withProvider, compatible] = await Promise.all([
      entente(['diff', 'contractors@1.0.0', 'v2.yaml'], { env }),
      entente(['diff', 'contractors@1.0.0', 'v2.yaml', '--json'], { env }),
      entente(['diff', 'contractors@latest', 'v2.yaml', '--markdown'], { env }),
      entente(['diff', 'v1.yaml', 'v2.yaml', '--provider', 'contractors', '--json'], { env }),
      entente(['diff', 'contractors@1.0.0', 'v1-region.yaml'], { env }),
    ]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('Comparing contractors@1.0.0 → v2.yaml');
    expect(text.stdout).toContain('hurt:      materials');
    expect(text.stdout).toContain('untouched: odd-jobs');
    expect(text.stdout).toContain('breaks materials 1.0.0 (latest on main): 1 interaction, relying on stock');
    expect(text.stdout).toContain('leaves alone odd-jobs');

    const report = JSON.parse(json.stdout);
    expect(report.impact).toMatchObject({
      provider: 'contractors',
      hurt: ['materials'],
      untouched: ['odd-jobs'],
      breaking: [
        {
          finding: 0,
          rule: 'response.body.type-changed',
          broken: [
            {
              consumer: 'materials',
              versions: [{ version: '1.0.0', why: ['latest on main'] }],
              interactions: [{ interactionId: id(1), operation: 'getContractor', reliedOn: ['stock'] }],
            },
          ],
          untouched: ['odd-jobs'],
        },
      ],
      staticCheck: [
        { consumer: 'materials', compatible: false, newlyIncompatible: true },
        { consumer: 'odd-jobs', compatible: true },
      ],
    });
    expect(report.impact.contracts).toContainEqual(
      expect.objectContaining({
        consumer: 'odd-jobs',
        versions: [{ version: '2.0.0', why: ['deployed in production', 'latest on main'] }],
      }),
    );

    expect(markdown.code).toBe(1);
    expect(markdown.stdout).toContain('### Consumers of `contractors`');
    expect(markdown.stdout).toContain('- :x: Hurt: **materials**');
    expect(markdown.stdout).toContain('- :white_check_mark: Untouched: `odd-jobs`');
    expect(markdown.stdout).toContain('| **materials** 1.0.0 (relies on `stock`) | odd-jobs |');
    expect(markdown.stdout).toContain('### API changes: 1 error');

    expect(JSON.parse(withProvider.stdout).impact.hurt).toEqual(['materials']);
    expect(compatible.code).toBe(0);
    expect(compatible.stdout).toContain('hurt:      none');
    expect(compatible.stdout).toContain('untouched: materials, odd-jobs');
  });

  it('publish-spec warns about breaking changes against the latest version and still publishes; --fail-on-breaking refuses', async () => {
    const publish = (spec: string, version: string, ...extra: string[]) =>
      entente(
        [
          'publish-spec',
          '--spec',
          spec,
          '--service',
          'contractors',
          '--version',
          version,
          '--branch',
          'main',
          ...extra,
        ],
        { env },
      );
    const warned = await publish('v2.yaml', '2.0.0', '--json');
    expect(warned.code).toBe(0);
    expect(warned.stderr).toContain(
      'entente: warning: contractors@2.0.0 breaks contractors@1.0.0: 1 breaking change, hurting materials',
    );
    expect(warned.stderr).toContain(
      'response.body.type-changed: response 200 (application/json) field `stock`',
    );
    const json = JSON.parse(warned.stdout);
    expect(json).toMatchObject({ outcome: 'published', breakingChanges: { against: 'contractors@1.0.0' } });
    expect(json.breakingChanges.impact.hurt).toEqual(['materials']);

    const same = await publish('v2.yaml', '2.0.1');
    expect(same.code).toBe(0);
    expect(same.stderr).toBe('');

    const refused = await publish('v1.yaml', '2.1.0', '--fail-on-breaking');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('contractors@2.1.0 breaks contractors@2.0.1');
    expect(refused.stdout).toContain('Not published');
    await expect(
      sandbox.git(env.ENTENTE_CONTRACTS!, 'cat-file', '-e', 'main:services/contractors/versions/2.1.0.json'),
    ).rejects.toThrow();
  });
});
