/**
 * The report in a real browser: rendered by the real CLI for a repository with
 * several services, served over HTTP, opened in headless Chromium.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, serveFolder } from '../helpers/browser.js';
import { createSandbox, type Sandbox } from '../helpers/sandbox.js';
import { HOSTILE, reportWorld } from './world.js';

/** What the page-side callbacks use of the browser's window (the project compiles without the DOM library). */
interface BrowserWindow {
  getComputedStyle(element: unknown): { stroke: string; opacity: string };
}

let sandbox: Sandbox;
let browser: Browser;
let site: { url: string; close(): Promise<void> };

beforeAll(async () => {
  sandbox = createSandbox();
  const world = await reportWorld(sandbox);
  const out = join(world.cwd, 'site');
  const result = await world.cli('report', '--out', out);
  expect(result.code, result.stderr).toBe(0);
  site = await serveFolder(out);
  browser = await launchChromium();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await site?.close();
  sandbox.cleanup();
});

/** A page that records every request and every console error or CSP violation. */
async function open(path: string): Promise<{ page: Page; requests: string[]; problems: string[] }> {
  const page = await browser.newPage();
  const requests: string[] = [];
  const problems: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(`${site.url}/${path}`, { waitUntil: 'load' });
  return { page, requests, problems };
}

describe('the report in headless Chromium', () => {
  it('shows the service graph with a failing link, filters it, and asks nothing of any other origin', async () => {
    const { page, requests, problems } = await open('index.html');
    await expect.poll(() => page.locator('svg.graph').isVisible()).toBe(true);
    const nodes = page.locator('svg.graph .node');
    expect(await nodes.count()).toBe(4);
    expect(await page.locator('svg.graph .node[data-service="materials"]').isVisible()).toBe(true);
    const failing = page.locator('svg.graph path.edge-no[data-from="materials"][data-to="contractors"]');
    expect(await failing.count()).toBe(1);
    // A straight link has no height, which Playwright's isVisible counts as hidden: check its box and paint.
    expect((await failing.boundingBox())?.width).toBeGreaterThan(50);
    expect(
      await failing.evaluate((el) => (globalThis as unknown as BrowserWindow).getComputedStyle(el).stroke),
    ).toBe('rgb(207, 34, 46)');
    expect(
      Number(
        await failing.evaluate((el) => (globalThis as unknown as BrowserWindow).getComputedStyle(el).opacity),
      ),
    ).toBeGreaterThan(0.5);
    expect(
      await page.locator('svg.graph path.edge-yes[data-from="odd-jobs"][data-to="contractors"]').count(),
    ).toBe(1);

    // The client-side search runs (the Content-Security-Policy lets the inline script through).
    await page.getByLabel('Filter services').fill('odd');
    expect(await page.locator('#services-table tr:not(.hidden)').allTextContents()).toEqual([
      expect.stringContaining('odd-jobs'),
    ]);
    await page.getByLabel('Find a service in the graph').fill('gadgets');
    expect(await page.locator('svg.graph .node.dim').count()).toBe(3);

    await page.getByRole('link', { name: 'Matrix', exact: true }).click();
    await page.waitForURL(/matrix\.html$/);
    expect(problems).toEqual([]);
    expect(requests.length).toBeGreaterThan(1);
    expect(requests.filter((url) => !url.startsWith(`${site.url}/`))).toEqual([]);
    await page.close();
  });

  it('shows the matrix, and a failure expands to its JSON path, expected and actual', async () => {
    const { page, requests, problems } = await open('matrix/latest.html');
    const row = page.locator('#matrix > tr', { hasText: 'materials' });
    expect(await row.isVisible()).toBe(true);
    expect(await row.locator('.verdict-no').isVisible()).toBe(true);
    const detail = row.locator('details.failure-detail');
    expect(await detail.locator('table').isVisible()).toBe(false);
    await detail.locator('summary').click();
    const mismatch = detail.locator('tr', { hasText: '$.stock' }).first();
    expect(await mismatch.isVisible()).toBe(true);
    expect(await mismatch.locator('td').allTextContents()).toEqual([
      'getContractor',
      expect.stringContaining('$.stock'),
      '"string"',
      '"number"',
    ]);
    expect(
      await page.locator('#matrix tr', { hasText: 'odd-jobs' }).locator('.verdict-yes').isVisible(),
    ).toBe(true);
    await page.getByLabel('Show pairs by verdict').selectOption('no');
    expect(await page.locator('#matrix > tr:not(.hidden)').count()).toBe(1);
    expect(problems).toEqual([]);
    expect(requests.filter((url) => !url.startsWith(`${site.url}/`))).toEqual([]);
    await page.close();
  });

  it('shows hostile spec text as text: no markup from the repository runs', async () => {
    const { page, problems } = await open('services/gadgets.html');
    expect(await page.locator('.spec-title').textContent()).toBe(HOSTILE);
    expect(await page.getByText('<script>window.__pwned=4</script>', { exact: false }).isVisible()).toBe(
      true,
    );
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('main img, main svg, main script').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });
});
