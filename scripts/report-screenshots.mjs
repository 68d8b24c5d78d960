// Regenerates docs/images/report-overview.png and docs/images/report-matrix.png:
// a synthetic contracts repository (bench/can-i-deploy/generate.mjs, 24
// services) where one popular provider's latest version fails two consumers,
// rendered by the real CLI and photographed in Debian's headless Chromium.
//
//   npm run build && node scripts/report-screenshots.mjs
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { generate } from '../bench/can-i-deploy/generate.mjs';
import { VerificationRecord } from '../dist/model/records.js';
import { ContractsStore } from '../dist/store/store.js';

const images = fileURLToPath(new URL('../docs/images/', import.meta.url));
const bin = fileURLToPath(new URL('../bin/entente', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'entente-screenshots-'));
const gitconfig = join(root, 'gitconfig');
writeFileSync(
  gitconfig,
  '[user]\n\tname = Screenshots\n\temail = screenshots@example.invalid\n[init]\n\tdefaultBranch = main\n',
);
const env = {
  PATH: process.env.PATH,
  HOME: join(root, 'home'),
  GIT_CONFIG_GLOBAL: gitconfig,
  GIT_CONFIG_NOSYSTEM: '1',
  ENTENTE_CACHE_DIR: join(root, 'cache'),
  ENTENTE_NOW: '2024-01-01T12:00:00.000Z',
  NO_COLOR: '1',
};

try {
  const repo = join(root, 'contracts.git');
  await generate(repo, { services: 24, versions: 6 });

  // svc-000's latest version breaks two of its consumers: `stock` became a string.
  const store = await ContractsStore.open({
    location: { kind: 'path', path: repo },
    branch: 'main',
    cacheDir: join(root, 'cache-script'),
    env,
  });
  await store.transact('screenshots: svc-000@1.0.5 fails two consumers', async ({ snapshot, changes }) => {
    const files = (await snapshot.listFiles('verifications/svc-000/1.0.5')).slice(0, 2);
    for (const [path, record] of await snapshot.readRecords(VerificationRecord, files)) {
      changes.writeRecord(VerificationRecord, path, {
        ...record,
        success: false,
        interactions: record.interactions.map((i) => ({
          ...i,
          success: false,
          mismatches: [
            {
              kind: 'response.body.type',
              path: '$.stock',
              expected: 'integer',
              actual: 'string',
              message: '$.stock: expected integer, got string ("12")',
            },
          ],
        })),
      });
    }
  });

  const site = join(root, 'site');
  const run = spawnSync(process.execPath, [bin, 'report', '--out', site, '--contracts', repo], {
    env,
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`entente report exited ${run.status}: ${run.stderr}`);

  const types = { '.html': 'text/html; charset=utf-8', '.svg': 'image/svg+xml' };
  const server = createServer((request, response) => {
    const path = new URL(request.url, 'http://x').pathname.replace(/\.\.+/g, '');
    try {
      const body = readFileSync(join(site, path === '/' ? 'index.html' : path));
      response
        .writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' })
        .end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: process.env.ENTENTE_TEST_CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    await page.goto(`${base}/index.html`);
    await page.screenshot({ path: join(images, 'report-overview.png') });
    await page.goto(`${base}/matrix/latest.html`);
    await page.getByLabel('Show pairs by verdict').selectOption('no');
    await page.locator('#matrix > tr:not(.hidden) details summary').first().click();
    await page.screenshot({ path: join(images, 'report-matrix.png') });
  } finally {
    await browser.close();
    server.close();
  }
  console.log('docs/images/report-overview.png\ndocs/images/report-matrix.png');
} finally {
  rmSync(root, { recursive: true, force: true });
}
