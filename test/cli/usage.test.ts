/**
 * Usage as a new user meets it: the real CLI, piped (not a terminal) and with no
 * NO_COLOR, so any colour would show. Every usage error exits 3, names what is
 * wrong and shows the way out; with --json it is JSON on stdout.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';

let sandbox: Sandbox;
let cwd: string;
let env: Record<string, string>;

beforeAll(() => {
  sandbox = createSandbox();
  cwd = sandbox.dir('project');
  mkdirSync(cwd);
  const { NO_COLOR: _, ...rest } = sandbox.env;
  env = rest;
});
afterAll(() => sandbox.cleanup());

// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for ANSI escapes is the point
const ANSI = /\u001b\[/;

async function entente(...args: string[]) {
  const result = await runCli(args, { cwd, env });
  expect(`${result.stdout}${result.stderr}`, 'no ANSI codes when piped').not.toMatch(ANSI);
  const clean = (text: string) => text.replaceAll(sandbox.root, '<sandbox>');
  return { code: result.code, stdout: clean(result.stdout), stderr: clean(result.stderr) };
}

describe('usage errors, in text', () => {
  it.each([
    ['a missing required option', ['can-i-deploy', '--service', 'castle-service', '--version', '1.0.0']],
    ['a missing required option of another command', ['publish-spec']],
    [
      'Pact’s --pacticipant',
      ['can-i-deploy', '--pacticipant', 'castle-service', '--environment', 'production'],
    ],
    [
      'Pact’s --to-environment',
      ['can-i-deploy', '--service', 'castle-service', '--to-environment', 'production'],
    ],
    ['Pact’s --base-uri', ['verify', '--provider', 'castle-service', '--base-uri', 'http://localhost:4001']],
    [
      'a typo in an option',
      ['record-deployment', '--servce', 'castle-service', '--environment', 'production'],
    ],
    ['an unknown command', ['deploy']],
    ['help for an unknown command', ['help', 'deplo']],
    ['a command group with no command', ['fixtures']],
    ['a typo in a grouped command', ['fixtures', 'lst']],
    ['an option value of the wrong type', ['mock', 'castle-service', '--port', 'eighty']],
  ])('%s', async (_, args) => {
    const result = await entente(...args);
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatchSnapshot();
  });

  it('every error shows its hint: a contracts location that is not a repository', async () => {
    const notRepo = sandbox.dir('not-a-repo');
    mkdirSync(notRepo);
    const result = await entente('status', '--contracts', notRepo);
    expect(result).toMatchSnapshot();
  });

  it('a required option that configuration could have given names it and shows the usage line', async () => {
    const result = await entente('verify', '--base-url', 'http://localhost:4001');
    expect(result.code).toBe(3);
    expect(result.stderr).toMatchSnapshot();
  });
});

describe('usage errors, with --json', () => {
  it.each([
    ['a missing required option', ['can-i-deploy', '--service', 'castle-service', '--json']],
    [
      'Pact’s --pacticipant',
      ['can-i-deploy', '--pacticipant', 'castle-service', '--environment', 'production', '--json'],
    ],
    ['an unknown command', ['deploy', '--json']],
  ])('%s is JSON on stdout', async (_, args) => {
    const result = await entente(...args);
    expect(result.code).toBe(3);
    const { error } = JSON.parse(result.stdout) as { error: { code: string; exitCode: number } };
    expect(error.exitCode).toBe(3);
    expect(error).toMatchSnapshot();
  });
});

describe('help', () => {
  it('`entente help` and `entente --no-color --help` list every command once', async () => {
    for (const args of [['help'], ['--no-color', '--help'], ['--help'], []]) {
      const result = await entente(...args);
      expect(result.code, args.join(' ')).toBe(0);
      expect(result.stdout.match(/^ {2}entente can-i-deploy /gm), args.join(' ')).toHaveLength(1);
      expect(result.stdout.match(/^ {2}entente fixtures approve /gm), args.join(' ')).toHaveLength(1);
    }
  });

  it("names option values instead of clipanion's #0, and lists the global options once", async () => {
    const root = await entente('help');
    expect(root.stdout).not.toContain('#0');
    expect(root.stdout).toContain('--contracts <location>');
    expect(root.stdout.match(/--contracts </g)).toHaveLength(1);
    expect(root.stdout).not.toContain('\u001b[');
    const command = await entente('help', 'can-i-deploy');
    expect(command.stdout).not.toContain('#0');
    expect(command.stdout).toContain(
      'Usage: entente can-i-deploy --environment <environment> [--service <service>]',
    );
    expect(command.stdout).toMatch(/^ {2}--retry-interval <seconds> +Seconds between those reads/m);
    expect(command.stdout).toMatch(/^ {2}--no-color +/m);
    expect(command.stdout).not.toMatch(/ +$/m);
  });

  it('`entente --help`, answered from text computed when the CLI was built, is what clipanion writes now', async () => {
    const prebuilt = await entente('--help');
    const viaClipanion = await entente('--contracts', cwd, '--help');
    expect(prebuilt.code).toBe(0);
    expect(prebuilt.stdout).toContain('entente can-i-deploy');
    expect(viaClipanion).toEqual(prebuilt);
    expect(await entente('help', '--no-color')).toEqual(prebuilt);
  });

  it('`entente help can-i-deploy` is `entente can-i-deploy --help`', async () => {
    const viaHelp = await entente('help', 'can-i-deploy');
    const viaFlag = await entente('can-i-deploy', '--no-color', '--help');
    expect(viaHelp.code).toBe(0);
    expect(viaHelp.stdout).toBe(viaFlag.stdout);
    expect(viaHelp.stdout).toContain('--environment');
  });

  it('`--help` on a command group lists its commands', async () => {
    const result = await entente('fixtures', '--help');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatchSnapshot();
    expect(await entente('help', 'fixtures')).toEqual(result);
  });

  it('`entente --version` and `-v` print the version in package.json, as clipanion would', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    for (const flag of ['--version', '-v']) {
      expect(await entente(flag)).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    }
  });

  it('`--help` after `--` belongs to the command entente record runs', async () => {
    const result = await entente('record', '--', 'sh', '-c', 'exit 7', 'sh', '--help');
    expect(result.code).toBe(7);
  });
});
