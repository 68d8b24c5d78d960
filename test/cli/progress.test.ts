/**
 * "Long-running CLI work shows progress on a TTY and stays quiet in --json and
 * non-TTY output": the real CLI run under a pseudo-terminal (util-linux
 * `script`), and through plain pipes as scripts and CI run it.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CastleService, startCastleService } from '../../examples/castle-service/service.js';
import { ENTENTE_BIN, runCli } from '../helpers/cli.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';
import { deploy, openStore, providerJob, SPEC_FILE } from '../verify/world.js';

/** util-linux `script` gives the CLI a pseudo-terminal; without it these tests cannot run. */
const hasScript = (() => {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!hasScript) {
  console.warn(
    'test/cli/progress.test.ts: skipped, util-linux `script` (needed for a pseudo-terminal) is missing',
  );
}

/** Single-quoted for sh: the only character to escape is the quote itself. */
const shellQuote = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`;

interface TerminalResult {
  code: number | null;
  /** What the CLI wrote on its stdout (the terminal), line endings as the program wrote them. */
  stdout: string;
  stderr: string;
}

/**
 * Runs `entente <args>` with stdin and stdout on a pseudo-terminal; stderr goes
 * to a file so the two streams stay apart.
 */
function runInTerminal(args: string[], options: { cwd: string; env: Record<string, string> }) {
  const stderrFile = sandbox.dir('stderr');
  const command = [process.execPath, ENTENTE_BIN, ...args].map(shellQuote).join(' ');
  const child = spawn('script', ['-qec', `${command} 2>${shellQuote(stderrFile)}`, '/dev/null'], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  return new Promise<TerminalResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code,
        // The terminal turns every \n into \r\n (onlcr); undo that, keep the program's own \r.
        stdout: output.replaceAll('\r\n', '\n'),
        stderr: readFileSync(stderrFile, 'utf8'),
      }),
    );
  });
}

let sandbox: Sandbox;
let cwd: string;
let env: Record<string, string>;
let service: CastleService;

beforeAll(async () => {
  sandbox = createSandbox();
  ({ cwd, env } = await providerJob(sandbox));
  // can-i-deploy asks about production: an environment with a recorded deployment.
  await deploy(await openStore(sandbox, env.ENTENTE_CONTRACTS!), 'castle-service', '1.0.0', 'production');
  service = await startCastleService({ stateEndpoint: '/_entente/state' });
});

afterAll(async () => {
  await service?.close();
  sandbox.cleanup();
});

const verifyArgs = (...more: string[]) => [
  'verify',
  '--provider',
  'castle-service',
  '--version',
  '1.0.0',
  '--base-url',
  service.url,
  '--state-url',
  `${service.url}/_entente/state`,
  '--header',
  'Authorization: Bearer provider-test-token',
  '--no-publish',
  ...more,
];

/** A version nobody recorded: the verdict stays unknown, so one retry happens. */
const canIDeployUnknown = (...more: string[]) => [
  'can-i-deploy',
  '--service',
  'castle-service',
  '--version',
  '9.9.9',
  '--environment',
  'production',
  '--retry-while-unknown',
  '1',
  '--retry-interval',
  '0',
  ...more,
];

const CLEAR_LINE = '\r\u001b[2K';

describe.skipIf(!hasScript)('progress on a terminal', () => {
  it('verify counts the interactions on one rewritten line, then clears it before the summary', async () => {
    const run = await runInTerminal(verifyArgs(), { cwd, env });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    for (let done = 1; done <= 4; done++) {
      expect(run.stdout).toContain(`${CLEAR_LINE}[${done}/4] castle-client `);
    }
    // Interactions run in contract order (by id, a content hash): each is named on its line.
    for (const operation of ['listCastles', 'getCastle', 'deleteCastle', 'createCastle']) {
      expect(run.stdout).toMatch(new RegExp(`\\r\u001b\\[2K\\[\\d/4\\] castle-client ${operation}`));
    }
    expect(run.stdout).not.toMatch(/\[\d\/4\][^\r]*\n/);
    const summary = run.stdout.slice(run.stdout.lastIndexOf(CLEAR_LINE) + CLEAR_LINE.length);
    expect(summary).toContain('✔ castle-client contract');
    expect(summary).toContain('✔ All 4 interactions passed.');
    expect(summary).not.toContain('[4/4]');
  });

  it('verify --json on a terminal writes exactly the JSON result on stdout, no progress', async () => {
    const run = await runInTerminal(verifyArgs('--json'), { cwd, env });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('\r');
    expect(run.stdout).not.toContain('\u001b');
    const result = JSON.parse(run.stdout) as { success: boolean; summary: { passed: number } };
    expect(result.success).toBe(true);
    expect(result.summary.passed).toBe(4);
  });

  it('diff tells each step on stderr, and nothing with --json', async () => {
    const run = await runInTerminal(['diff', SPEC_FILE, SPEC_FILE], { cwd, env });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`entente: reading ${SPEC_FILE}…`);
    expect(run.stderr).toContain('entente: comparing…');
    expect(run.stdout).not.toContain('entente: reading');

    const json = await runInTerminal(['diff', SPEC_FILE, SPEC_FILE, '--json'], { cwd, env });
    expect(json.code).toBe(0);
    expect(json.stderr).toBe('');
    expect(JSON.parse(json.stdout)).toMatchObject({ exitCode: 0 });
  });

  it('can-i-deploy tells each retry on stderr, and nothing with --json', async () => {
    const run = await runInTerminal(canIDeployUnknown(), { cwd, env });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/; reading again in 0s \(retry 1 of 1\)\n$/);
    expect(run.stdout).not.toContain('reading again');
    expect(run.stdout).toContain('? unknown: castle-service@9.9.9 is not in the contracts repository');

    const json = await runInTerminal(canIDeployUnknown('--json'), { cwd, env });
    expect(json.code).toBe(2);
    expect(json.stderr).toBe('');
    expect(JSON.parse(json.stdout)).toMatchObject({ verdict: 'unknown', attempts: 2 });
  });
});

describe('no progress without a terminal', () => {
  it('verify through pipes prints the summary and no progress line', async () => {
    const run = await runCli(verifyArgs(), { cwd, env });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('\r');
    expect(run.stdout).not.toContain('\u001b');
    expect(run.stdout).not.toMatch(/\[\d\/4\]/);
    expect(run.stdout).toContain('✔ All 4 interactions passed.');
  });

  it('diff through pipes tells no steps', async () => {
    const run = await runCli(['diff', SPEC_FILE, SPEC_FILE], { cwd, env });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
  });

  it('can-i-deploy through pipes does not tell its retries', async () => {
    const run = await runCli(canIDeployUnknown(), { cwd, env });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('? unknown: castle-service@9.9.9 is not in the contracts repository');
  });
});
