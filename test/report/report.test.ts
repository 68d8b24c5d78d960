import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';
import { HOSTILE, type ReportWorld, reportWorld } from './world.js';

let sandbox: Sandbox;
let world: ReportWorld;
let out: string;
beforeAll(async () => {
  sandbox = createSandbox();
  world = await reportWorld(sandbox);
  out = join(world.cwd, 'site');
}, 120_000);
afterAll(() => sandbox.cleanup());

const read = (path: string) => readFileSync(join(out, path), 'utf8');
/** The text of a page's <main>, tags removed and entities decoded: what a reader sees. */
const text = (path: string) =>
  read(path)
    .replace(/^[\s\S]*<main>|<\/main>[\s\S]*$/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

describe('entente report', () => {
  it('writes the overview, service pages, matrices, environments, fixtures, breaking changes and badges', async () => {
    const result = await world.cli('report', '--out', out, '--web-url', 'https://git.example/acme/contracts');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Wrote 18 files \(\d+ KiB\) for 4 services: .*\/site\/index\.html$/m);

    expect(text('index.html')).toMatch(
      /4 services 2 consumer → provider links 1 failing links 2 environments/,
    );
    expect(text('index.html')).toContain("contractors 2.0.0 verified materials 's contract: failed");
    expect(text('matrix/latest.html')).toMatch(
      /materials 1\.0\.0 contractors 2\.0\.0 failed .* failed no verification of contract \w+ by contractors@2\.0\.0 failed: getContractor \$\.stock/,
    );
    expect(text('matrix/environment-production.html')).toMatch(
      /materials 1\.0\.0 \* contractors 1\.0\.0 \* missing passed yes/,
    );
    expect(text('environments.html')).toContain('production yes Every deployed pair (2) is compatible.');
    expect(text('environments.html')).toContain(
      'staging unknown No deployed pair has a contract between them.',
    );
    expect(text('fixtures.html')).toContain(
      'Review branch: entente/fixtures/approve-build-77 · approve with entente fixtures approve --test-run build-77',
    );
    expect(read('fixtures.html')).toContain(
      'href="https://git.example/acme/contracts/tree/entente/fixtures/approve-build-77"',
    );
    expect(text('breaking.html')).toContain(
      'contractors 1.0.0 → 2.0.0 Consumers hurt: materials · untouched: odd-jobs',
    );
    expect(text('breaking.html')).toMatch(
      /response\.body\.type-changed .* field `stock`: type changed from string to integer materials/,
    );
    expect(text('services/contractors.html')).toMatch(/Consumers calling it materials no odd-jobs yes/);
    expect(text('services/contractors.html')).toContain('GET /contractor getContractor');
    expect(text('services/contractors.html')).toMatch(
      /2\.0\.0 main 2026-03-01T12:00:00\.000Z 3\.0\.3 \w{8} staging 1\.0\.0 main/,
    );
    expect(read('badges/services/materials.svg')).toContain('<text x="187.5" y="14">failing</text>');
    expect(read('badges/services/odd-jobs.svg')).toContain('>compatible</text>');
    expect(read('badges/environments/production.svg')).toContain('aria-label="production: compatible"');
  });

  it('escapes everything taken from the repository, and forbids any other origin', async () => {
    const result = await world.cli('report', '--out', out);
    expect(result.code, result.stderr).toBe(0);
    const page = read('services/gadgets.html');
    expect(page).not.toContain('<script>window.__pwned');
    expect(page).not.toContain('<img src=x');
    expect(page).not.toContain('<svg onload');
    expect(text('services/gadgets.html')).toContain(HOSTILE);
    expect(text('services/gadgets.html')).toContain('</td></tr></table><script>window.__pwned=4</script>');
    expect(page.replace(/&#39;/g, "'")).toMatch(
      /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src 'self' data:; style-src 'sha256-[^']+'; script-src 'sha256-[^']+';/,
    );
    expect(page.match(/<script>/g)).toHaveLength(1);
  });

  it('--open hands the overview to $BROWSER', async () => {
    const opened = join(world.cwd, 'opened.txt');
    const browser = join(world.cwd, 'fake-browser');
    writeFileSync(browser, `#!/bin/sh\nprintf '%s' "$1" > '${opened}'\n`);
    chmodSync(browser, 0o755);
    const env = { ...world.env, BROWSER: browser };
    const ok = await runCli(['report', '--out', 'site2', '--open'], { cwd: world.cwd, env });
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    await expect
      .poll(() => (existsSync(opened) ? readFileSync(opened, 'utf8') : ''), { timeout: 5000 })
      .toBe(join(world.cwd, 'site2', 'index.html'));
  });
});
