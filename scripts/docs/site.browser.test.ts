/**
 * The built site in a real browser: Debian's Chromium, headless, driven by playwright-core. The site is
 * served from a loopback static server under `/docs/` (as the sandbox mounts it); every request that would
 * leave loopback is blocked and recorded. Screenshots of every page go to artifacts/docs/.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { Json } from '@starship/contract';
import { repoRoot } from '../../tools/repo.ts';
import { buildDocsSite, REFERENCE_PAGES, type DocsSite } from './site.ts';
import { listOperations, listWebhookEvents } from './spec-walk.ts';

const CHROMIUM = '/usr/bin/chromium';
const MOUNT = '/docs/';
const screenshotDir = path.join(repoRoot, 'artifacts', 'docs');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
};

/** A minimal static server for the built site under MOUNT, like express.static in the sandbox. */
function serveSite(root: string): Server {
  return createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    const relative = pathname.startsWith(MOUNT) ? pathname.slice(MOUNT.length) || 'index.html' : undefined;
    const file = relative === undefined ? undefined : path.join(root, relative);
    if (file === undefined || !file.startsWith(root + path.sep)) {
      res.writeHead(404).end();
      return;
    }
    readFile(file).then(
      (body) => res.writeHead(200, { 'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(body),
      () => res.writeHead(404).end(),
    );
  });
}

interface Problems {
  consoleErrors: string[];
  failedRequests: string[];
  offLoopback: string[];
}

const skip = existsSync(CHROMIUM)
  ? false
  : `${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium) to run the docs browser tests`;

describe('docs site in headless Chromium', { skip }, () => {
  let tmp: string;
  let site: DocsSite;
  let server: Server;
  let origin: string;
  let context: BrowserContext;
  const problems = new Map<Page, Problems>();

  before(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'starship-docs-browser-'));
    site = await buildDocsSite(path.join(tmp, 'site'));
    server = serveSite(site.outDir);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await mkdir(screenshotDir, { recursive: true });
    context = await chromium.launchPersistentContext(path.join(tmp, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1366, height: 900 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    });
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === '127.0.0.1') return route.continue();
      problems.get(route.request().frame().page())?.offLoopback.push(url.href);
      return route.abort('blockedbyclient');
    });
  });

  after(async () => {
    await context?.close();
    await new Promise((resolve) => server?.close(resolve));
    await rm(tmp, { recursive: true, force: true });
  });

  async function open(file: string): Promise<{ page: Page; found: Problems }> {
    const page = await context.newPage();
    const found: Problems = { consoleErrors: [], failedRequests: [], offLoopback: [] };
    problems.set(page, found);
    page.on('console', (message) => {
      if (message.type() === 'error') found.consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => found.consoleErrors.push(`uncaught: ${error.message}`));
    page.on('requestfailed', (request) => found.failedRequests.push(`${request.url()}: ${request.failure()?.errorText}`));
    page.on('response', (response) => {
      if (response.status() >= 400) found.failedRequests.push(`${response.url()}: HTTP ${response.status()}`);
    });
    const response = await page.goto(`${origin}${MOUNT}${file}`, { waitUntil: 'networkidle' });
    assert.equal(response?.status(), 200, file);
    return { page, found };
  }

  function assertClean(file: string, found: Problems) {
    assert.deepEqual(found.offLoopback, [], `${file}: requests that would leave the machine`);
    assert.deepEqual(found.failedRequests, [], `${file}: failed requests`);
    assert.deepEqual(found.consoleErrors, [], `${file}: console errors`);
  }

  /** Redoc routes by the URL's hash. */
  async function routeTo(page: Page, hash: string) {
    await page.evaluate(`window.location.hash = ${JSON.stringify(hash)}`);
  }

  interface Listing {
    /** Every menu link, `#/orders/createorder` → its label. */
    links: Map<string, string>;
    /** The rendered text of every tag section, where Redoc lists its operations as `METHOD path`. */
    sections: string;
  }

  /**
   * Visits every tag of a Redoc page by its hash route. Routing to a tag unfolds its menu group (and may
   * fold another), so the menu links are collected after each visit, with the tag section's text.
   */
  async function readReference(page: Page): Promise<Listing> {
    const group = '[data-component-name="Menu/MenuItem"].menu-item-type-group';
    await page.locator('[data-component-name="Menu/Menu"]').waitFor();
    const tags = await page.$$eval(`${group} > a`, (links) => links.map((a) => a.getAttribute('href') ?? ''));
    const listing: Listing = { links: new Map(), sections: '' };
    for (const tag of tags) {
      await routeTo(page, tag);
      await page.locator(`${group}:has(> a[href="${tag}"]) > a + div a`).first().waitFor();
      const section = page.locator(`[id="${tag.slice(2)}"]`);
      await section.waitFor();
      listing.sections += `\n${await section.innerText()}`;
      const links = await page.$$eval('[data-component-name="Menu/MenuItem"] > a', (anchors) =>
        anchors.map((a) => [a.getAttribute('href') ?? '', a.textContent ?? ''] as const),
      );
      for (const [href, text] of links) listing.links.set(href, text);
    }
    return listing;
  }

  function escapeRegExp(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }

  /** Listed in the menu by operationId with its summary, and in its tag's section as `METHOD path`. */
  function assertListed(listing: Listing, { operationId, summary, method, path }: { operationId: string; summary: string; method: string; path: string }) {
    const link = [...listing.links].find(([href]) => href.endsWith(`/${operationId.toLowerCase()}`));
    assert.ok(link, `${operationId} is not in the menu`);
    assert.ok(link[1].startsWith(summary), `${operationId}: the menu says ${JSON.stringify(link[1])}, not "${summary}"`);
    assert.match(listing.sections, new RegExp(`${method}\\s+${escapeRegExp(path)}(\\s|$)`), `${operationId}: ${method} ${path} is not rendered`);
  }

  test('every page loads with no console error, no failed request and nothing requested off loopback', async () => {
    for (const { file, kind } of site.pages) {
      const { page, found } = await open(file);
      if (kind === 'reference') await page.locator('[data-component-name="Menu/Menu"]').waitFor();
      await page.screenshot({ path: path.join(screenshotDir, file.replace(/\.html$/, '.png')), fullPage: kind !== 'reference' });
      assertClean(file, found);
      await page.close();
    }
  });

  test('every partner operation and webhook event is listed in the reference, by operationId, summary, method and path', async () => {
    const spec = JSON.parse(await readFile(path.join(site.outDir, REFERENCE_PAGES.partner.spec), 'utf8')) as Json;
    const { page, found } = await open(REFERENCE_PAGES.partner.file);
    const listing = await readReference(page);
    const operations = listOperations(spec);
    const events = listWebhookEvents(spec);
    assert.ok(operations.length >= 15 && events.length >= 5);
    for (const op of operations) assertListed(listing, op);
    for (const event of events) assertListed(listing, { ...event, method: 'POST', path: event.name });

    await routeTo(page, '#/orders/createorder');
    const createOrder = page.locator('[id="orders/createorder"]');
    await createOrder.waitFor();
    assert.match(await createOrder.innerText(), /Place an order/);
    await page.screenshot({ path: path.join(screenshotDir, 'partner-api-create-order.png') });
    assertClean(REFERENCE_PAGES.partner.file, found);
    await page.close();
  });

  test('every sandbox control operation is listed in its reference', async () => {
    const spec = JSON.parse(await readFile(path.join(site.outDir, REFERENCE_PAGES.sandbox.spec), 'utf8')) as Json;
    const { page, found } = await open(REFERENCE_PAGES.sandbox.file);
    const listing = await readReference(page);
    for (const op of listOperations(spec)) assertListed(listing, op);
    assertClean(REFERENCE_PAGES.sandbox.file, found);
    await page.close();
  });

  test('navigation works under the mount point: index → guide → reference → back home', async () => {
    const { page, found } = await open('index.html');
    await page.click('main a[href="signing.html"]');
    await page.waitForURL(`${origin}${MOUNT}signing.html`);
    await page.click(`nav a[href="${REFERENCE_PAGES.partner.file}"]`);
    await page.waitForURL(`${origin}${MOUNT}${REFERENCE_PAGES.partner.file}`);
    await page.locator('a[href="index.html"]').first().click();
    await page.waitForURL(`${origin}${MOUNT}index.html`);
    assertClean('navigation', found);
    await page.close();
  });
});
