/**
 * Specs refused for what they are, through the real CLI: each exits 3,
 * names the file and the pointer or line, lists every problem, and stores
 * nothing.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';

let sandbox: Sandbox;
let remote: string;
let cwd: string;
let env: Record<string, string>;

beforeAll(async () => {
  sandbox = createSandbox();
  remote = await sandbox.bareRemote();
  cwd = sandbox.dir('project');
  mkdirSync(cwd);
  env = { ...sandbox.env, ENTENTE_CONTRACTS: remote };
});
afterAll(() => sandbox.cleanup());

const HEAD = 'openapi: 3.1.0\ninfo: {title: Castles, version: "1"}\n';
const op = (schema: string) =>
  `paths:\n  /castles:\n    get:\n      responses:\n        "200":\n          description: ok\n          content:\n            application/json:\n              schema: ${schema}\n`;

async function publish(name: string, text: string) {
  writeFileSync(join(cwd, name), text);
  const result = await runCli(
    [
      'publish-spec',
      '--json',
      '--spec',
      name,
      '--service',
      'castle-service',
      '--version',
      '1.0.0',
      '--branch',
      'main',
    ],
    { cwd, env },
  );
  await expect(sandbox.git(remote, 'rev-parse', '--verify', '--quiet', 'main')).rejects.toThrow();
  expect(result.code).toBe(3);
  // The CLI names files by their absolute path; the project folder is left out here.
  const { error } = JSON.parse(result.stdout.replaceAll(`${cwd}/`, '')) as {
    error: { code: string; message: string; details: { where: string; message: string }[] };
  };
  return { ...error, stderr: result.stderr.replaceAll(`${cwd}/`, '') };
}

const SCHEMA = '/paths/~1castles/get/responses/200/content/application~1json/schema';

describe('publish-spec refuses specs for what they are', () => {
  it('invalid JSON Schema in an OpenAPI 3.1 Schema Object, listing every problem', async () => {
    const error = await publish(
      'types.yaml',
      `${HEAD}${op('{type: integr}')}components:\n  schemas:\n    A: {type: object, required: name}\n    B: {type: string, minLength: many}\n`,
    );
    expect(error.code).toBe('input.openapi-invalid');
    expect(error.details).toEqual([
      { where: `types.yaml#${SCHEMA}/type`, message: expect.stringContaining('must be one of "array"') },
      { where: 'types.yaml#/components/schemas/A/required', message: 'must be array' },
      { where: 'types.yaml#/components/schemas/B/minLength', message: expect.stringContaining('integer') },
    ]);
    expect(error.message).toContain('(and 2 more)');
    expect(error.stderr).toContain('types.yaml#/components/schemas/B/minLength');
  });

  it('every violation, however many', async () => {
    const paths = Array.from(
      { length: 25 },
      (_, i) => `  /c${i}:\n    get:\n      responses:\n        "200": {content: {}}\n`,
    ).join('');
    const error = await publish('many.yaml', `${HEAD}paths:\n${paths}`);
    expect(error.details).toHaveLength(25);
    expect(error.message).toContain('(and 24 more)');
  });

  it('duplicate keys in JSON, each with its line', async () => {
    const json = `{
  "openapi": "3.0.3",
  "info": {"title": "Castles", "version": "1"},
  "paths": {
    "/castles": {"get": {"responses": {"200": {"description": "ok"}}}},
    "/castles": {"post": {"responses": {"201": {"description": "ok"}}}}
  },
  "info": {"title": "Again", "version": "2"}
}
`;
    const error = await publish('dupes.json', json);
    expect(error.code).toBe('input.duplicate-key');
    expect(error.details).toEqual([
      { where: 'dupes.json:6', message: 'duplicate key "/castles": JSON keeps only the last one' },
      { where: 'dupes.json:8', message: 'duplicate key "info": JSON keeps only the last one' },
    ]);
  });

  it('duplicate keys in YAML, with line and column', async () => {
    const error = await publish(
      'dupes.yaml',
      `${HEAD}${op('{type: string}')}  /castles:\n    post: {responses: {"201": {description: ok}}}\n`,
    );
    expect(error.code).toBe('input.yaml');
    expect(error.message).toMatch(/^dupes\.yaml:12:\d+: not valid YAML or JSON: Map keys must be unique/);
  });

  it.each([
    [
      'a pure $ref cycle',
      "{$ref: '#/components/schemas/A'}",
      'A: {$ref: "#/components/schemas/B"}\n    B: {$ref: "#/components/schemas/A"}',
    ],
    [
      'a schema that requires itself',
      "{$ref: '#/components/schemas/A'}",
      'A: {type: object, required: [self], properties: {self: {$ref: "#/components/schemas/A"}}}',
    ],
  ])('%s', async (_, schema, components) => {
    const error = await publish(
      'cycle.yaml',
      `${HEAD}${op(schema)}components:\n  schemas:\n    ${components}\n`,
    );
    expect(error.code).toBe('input.openapi-invalid');
    expect(error.details[0]).toEqual({
      where: `cycle.yaml#${SCHEMA}`,
      message: expect.stringMatching(
        /^is a reference cycle no finite value can satisfy: #\/components\/schemas\/A → /,
      ),
    });
  });

  it('nesting past 128 levels', async () => {
    const deep = `${'{"allOf": ['.repeat(130)}{"type": "string"}${']}'.repeat(130)}`;
    const error = await publish(
      'deep.json',
      `{"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": {}, "x-deep": ${deep}}`,
    );
    expect(error.code).toBe('input.too-deep');
    expect(error.message).toMatch(/^deep\.json#\/x-deep\/allOf\/0\/.*: nests deeper than 128 levels/);
  });
});

describe('what stays accepted', () => {
  it('recursion a finite value can end: optional, nullable, or an array that may be empty', async () => {
    writeFileSync(
      join(cwd, 'tree.yaml'),
      `${HEAD}${op("{$ref: '#/components/schemas/Node'}")}components:\n  schemas:\n    Node:\n      type: object\n      required: [children, parent]\n      properties:\n        children: {type: array, items: {$ref: "#/components/schemas/Node"}}\n        parent: {oneOf: [{$ref: "#/components/schemas/Node"}, {type: "null"}]}\n        next: {$ref: "#/components/schemas/Node"}\n`,
    );
    const result = await runCli(
      [
        'publish-spec',
        '--spec',
        'tree.yaml',
        '--service',
        'tree-service',
        '--version',
        '1.0.0',
        '--branch',
        'main',
      ],
      { cwd, env },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });
});
