/**
 * A contracts location or branch reaches git's command line. Whatever the
 * source (flag, environment, `.entente.yml`), a value git would read as an
 * option or a command-running transport is refused with exit 3, and the
 * command it carries never runs: the marker file it would create stays absent.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';

let sandbox: Sandbox;
let remote: string;
let cwd: string;
/** The file a successful injection would create (known before the tests are collected). */
const marker = join(tmpdir(), `entente-pwned-${process.pid}-${Date.now()}`);

beforeAll(async () => {
  sandbox = createSandbox();
  remote = await sandbox.bareRemote();
  cwd = sandbox.dir('project');
  mkdirSync(cwd);
});
afterAll(() => sandbox.cleanup());

/** A command that opens the contracts repository. */
const status = [
  'record-deployment',
  '--service',
  'castle-service',
  '--version',
  '1.0.0',
  '--environment',
  'production',
  '--new-environment',
  '--allow-unknown-version',
];

/** Locations that would run `touch <marker>` if git were handed them. */
const hostileLocations = () => [
  `--upload-pack=touch ${marker}`,
  `--upload-pack=touch\${IFS}${marker};x@h:r`,
  `ext::sh -c touch% ${marker}`,
  `fd::17`,
  `ssh://-oProxyCommand=touch%20${marker}/x`,
  `-oProxyCommand=touch@h:r`,
  `git@-oProxyCommand=touch:r`,
  `gopher://example.com/contracts`,
];

async function expectRefused(result: { code: number | null; stderr: string }, where: RegExp) {
  expect(result.code).toBe(3);
  expect(result.stderr).toMatch(where);
  expect(existsSync(marker)).toBe(false);
}

describe('contracts locations cannot inject git options or transports', () => {
  it.each(hostileLocations())('refuses %j from --contracts', async (location) => {
    const result = await runCli([...status, `--contracts=${location}`], { cwd, env: sandbox.env });
    await expectRefused(result, /--contracts: .* (starts with "-"|remote helper|transport|host or user)/);
  });

  it.each(hostileLocations())('refuses %j from ENTENTE_CONTRACTS', async (location) => {
    const result = await runCli(status, { cwd, env: { ...sandbox.env, ENTENTE_CONTRACTS: location } });
    await expectRefused(
      result,
      /ENTENTE_CONTRACTS: .* (starts with "-"|remote helper|transport|host or user)/,
    );
  });

  it.each(hostileLocations())('refuses %j from .entente.yml', async (location) => {
    const dir = sandbox.dir('configured');
    mkdirSync(dir);
    writeFileSync(join(dir, '.entente.yml'), `contracts: ${JSON.stringify(location)}\n`);
    const result = await runCli(status, { cwd: dir, env: sandbox.env });
    await expectRefused(result, /\.entente\.yml: .* (starts with "-"|remote helper|transport|host or user)/);
  });

  it.each([
    ['ENTENTE_CONTRACTS_BRANCH', { ENTENTE_CONTRACTS_BRANCH: `--upload-pack=touch ${marker}` }],
    ['ENTENTE_CONTRACTS_BRANCH', { ENTENTE_CONTRACTS_BRANCH: 'main:refs/heads/other' }],
  ])('refuses a contracts branch from %s that is not a branch name', async (_, extra) => {
    const result = await runCli(status, {
      cwd,
      env: { ...sandbox.env, ENTENTE_CONTRACTS: remote, ...extra },
    });
    await expectRefused(result, /ENTENTE_CONTRACTS_BRANCH: .* is not a valid branch name/);
  });

  it('still reaches an ordinary path and file:// URL', async () => {
    for (const location of [remote, `file://${remote}`]) {
      const result = await runCli([...status, '--contracts', location], { cwd, env: sandbox.env });
      expect(result.stderr).not.toMatch(/--contracts:/);
      expect(result.code).toBe(0);
    }
  });
});

describe('the git runner keeps refusing pack programs in arguments', () => {
  it('blocks --upload-pack, -u and --receive-pack even if an argument slipped through', async () => {
    const { gitRunner } = await import('../../src/store/git.js');
    const git = gitRunner(sandbox.root, sandbox.env);
    for (const args of [
      ['fetch', `--upload-pack=touch ${marker}`, remote],
      ['fetch', '--upload-pack', `touch ${marker}`, remote],
      // git takes an unambiguous abbreviation of a long option as the option.
      ['ls-remote', `--upload-pa=touch ${marker}`, remote],
      ['ls-remote', '-u', `touch ${marker}`, remote],
      ['push', `--receive-pack=touch ${marker}`, remote, 'HEAD:refs/heads/x'],
      ['push', `--rec=touch ${marker}`, remote, 'HEAD:refs/heads/x'],
      ['-c', `core.sshCommand=touch ${marker}`, 'ls-remote', 'ssh://example.invalid/x'],
      ['-c', 'protocol.ext.allow=always', 'ls-remote', `ext::touch ${marker}`],
      ['--config-env=core.sshCommand=EVIL', 'ls-remote', 'ssh://example.invalid/x'],
    ]) {
      const outcome = await git.attempt(args);
      expect(outcome.ok, args.join(' ')).toBe(false);
      expect(outcome.output).toMatch(/^refused to pass .* to git: it names a program to run$/);
      await expect(git.run(args)).rejects.toThrow(/names a program to run/);
    }
    expect(existsSync(marker)).toBe(false);
  });

  it('lifts the guard only when asked (the push into a non-bare repository names its own receive-pack)', async () => {
    const { gitRunner } = await import('../../src/store/git.js');
    const git = gitRunner(sandbox.root, sandbox.env);
    const ran = `${marker}-allowed`;
    const outcome = await git.attempt(['ls-remote', `--upload-pack=touch ${ran}; git-upload-pack`, remote], {
      allowPackProgram: true,
    });
    expect(outcome.ok).toBe(true);
    expect(existsSync(ran)).toBe(true);
    rmSync(ran);
    // Only the pack program: configuration that runs a program stays refused.
    const configured = await git.attempt(
      ['-c', `core.sshCommand=touch ${ran}`, 'ls-remote', 'ssh://example.invalid/x'],
      {
        allowPackProgram: true,
      },
    );
    expect(configured).toEqual({
      ok: false,
      output: expect.stringMatching(/^refused to pass -c core\.sshCommand/),
    });
    expect(existsSync(ran)).toBe(false);
  });
});
