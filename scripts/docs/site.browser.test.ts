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
import { pathToFileURL } from 'node:url';
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
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

/** The sandbox origin the docs name when they cannot tell where they are served from (the spec's first server). */
const DEFAULT_ORIGIN = 'http://127.0.0.1:4010';

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
      if (url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.protocol === 'file:' || url.protocol === 'blob:') return route.continue();
      problems.get(route.request().frame().page())?.offLoopback.push(url.href);
      return route.abort('blockedbyclient');
    });
  });

  after(async () => {
    await context?.close();
    await new Promise((resolve) => server?.close(resolve));
    await rm(tmp, { recursive: true, force: true });
  });

  async function open(file: string, at = `${origin}${MOUNT}`): Promise<{ page: Page; found: Problems }> {
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
    const response = await page.goto(`${at}${file}`, { waitUntil: 'networkidle' });
    if (!at.startsWith('file:')) assert.equal(response?.status(), 200, file);
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
      // A tag's overview lists its first operations and folds the rest behind "Show N more...".
      const more = section.getByText(/^Show \d+ more/);
      if (await more.count()) await more.first().click();
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

  test('every page loads with no console error, no failed request and nothing requested off loopback, and has a favicon', async () => {
    for (const { file, kind } of site.pages) {
      const { page, found } = await open(file);
      if (kind === 'reference') await page.locator('[data-component-name="Menu/Menu"]').waitFor();
      const href = await page.locator('link[rel="icon"]').getAttribute('href');
      assert.ok(href, `${file}: no <link rel="icon">`);
      const icon = await page.evaluate(async (link) => {
        const response = await fetch(link);
        return `${response.status} ${response.headers.get('content-type')}`;
      }, href);
      assert.equal(icon, '200 image/svg+xml', `${file}: favicon`);
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

  /**
   * The request-sample panel of one operation, as Redoc draws it: a header with two dropdowns (the server,
   * the sample language) above the code of the chosen sample.
   */
  function samplePanel(page: Page, operation: string) {
    const section = page.locator(`[id="${operation}"]`);
    const panel = section.locator('[data-component-name="Panel/Panel"]').filter({ has: page.locator('[data-component-name="Panel/PanelHeader"]') }).first();
    const header = panel.locator('[data-component-name="Panel/PanelHeader"]').first();
    const dropdown = (index: number) => header.locator('[data-component-name="Dropdown/Dropdown"]').nth(index);
    // An open dropdown's menu is drawn outside the panel (a portal): its items are the visible ones.
    const visibleItems = async (index: number) => {
      const items = page.locator('[data-component-name="Dropdown/DropdownMenuItem"]').filter({ visible: true });
      if ((await items.count()) === 0) await dropdown(index).locator('[data-component-name="Button/Button"]').first().click();
      await items.first().waitFor({ state: 'visible' });
      return items;
    };
    return {
      section,
      code: panel.locator('[data-component-name="CodeBlock/CodeBlockContainer"]').first(),
      /** The labels of the language menu, as shown when it is opened (it stays open). */
      async languages(): Promise<string[]> {
        return (await (await visibleItems(1)).allInnerTexts()).map((t) => t.trim());
      },
      async choose(label: string) {
        await (await visibleItems(1)).getByText(label, { exact: true }).click();
      },
      /** The server menu's entries, in order, as shown when it is opened (it stays open). */
      async servers(): Promise<string[]> {
        const texts = await (await visibleItems(0)).allInnerTexts();
        return texts.map((t) => /https?:\/\/\S+/.exec(t)?.[0] ?? t);
      },
    };
  }

  test('the TypeScript SDK samples are in the sample menu and shown when chosen (POST /orders, GET /categories)', async () => {
    const { page, found } = await open(REFERENCE_PAGES.partner.file);
    for (const [operation, call, menu] of [
      ['orders/createorder', "starship.client.POST('/orders'", ['curl', 'TypeScript SDK', 'Payload']],
      ['catalog/listcategories', "starship.client.GET('/categories')", ['curl', 'TypeScript SDK']],
    ] as const) {
      await routeTo(page, `#/${operation}`);
      const panel = samplePanel(page, operation);
      await panel.section.waitFor();
      assert.deepEqual(await panel.languages(), [...menu], `${operation}: the sample menu`);
      await panel.choose('TypeScript SDK');
      await panel.code.getByText('createStarshipClient', { exact: false }).first().waitFor({ state: 'visible' });
      const text = await panel.code.innerText();
      assert.match(text, /import \{ createStarshipClient \} from '@starship\/sdk';/);
      assert.ok(text.includes(call), `${operation}: ${text}`);
    }
    await page.screenshot({ path: path.join(screenshotDir, 'partner-api-typescript-sample.png') });
    assertClean(REFERENCE_PAGES.partner.file, found);
    await page.close();
  });

  /** What the docs show about the sandbox's address, served from `at` (a URL prefix of the site). */
  async function shownOrigins(at: string) {
    const { page, found } = await open(REFERENCE_PAGES.partner.file, at);
    await routeTo(page, '#/orders/createorder');
    const panel = samplePanel(page, 'orders/createorder');
    await panel.section.waitFor();
    // Redoc remembers the language last chosen (local storage): choose each one explicitly.
    await panel.choose('curl');
    await panel.code.getByText('STARSHIP_ORIGIN', { exact: false }).first().waitFor({ state: 'visible' });
    const curl = await panel.code.innerText();
    await panel.choose('TypeScript SDK');
    await panel.code.getByText('createStarshipClient', { exact: false }).first().waitFor({ state: 'visible' });
    const typescript = await panel.code.innerText();
    const servers = await panel.servers();
    assertClean(`${at}${REFERENCE_PAGES.partner.file}`, found);
    await page.close();

    const guide = await open('getting-started.html', at);
    const guideCode = (await guide.page.locator('pre').allInnerTexts()).join('\n');
    assertClean(`${at}getting-started.html`, guide.found);
    await guide.page.close();

    // The collection the home page's link downloads (from the file system, the file itself: nothing to rewrite).
    const home = await open('index.html', at);
    const href = (await home.page.locator('main a[download]').filter({ hasText: 'Postman collection' }).getAttribute('href'))!;
    const postman = at.startsWith('file:')
      ? href
      : await home.page.evaluate(async (link) => {
          const collection = (await (await fetch(link)).json()) as { variable: Array<{ key: string; value: string }> };
          return collection.variable.find((v) => v.key === 'baseUrl')?.value;
        }, href);
    assertClean(`${at}index.html`, home.found);
    await home.page.close();
    return { curl, typescript, servers, guideCode, postman };
  }

  test('samples, the server list and the Postman baseUrl name the origin the site is served from', async () => {
    for (const served of [origin, origin.replace('127.0.0.1', 'localhost')]) {
      const shown = await shownOrigins(`${served}${MOUNT}`);
      assert.ok(shown.curl.includes(`STARSHIP_ORIGIN:-${served}}`), `${served}: curl says ${shown.curl}`);
      assert.ok(shown.typescript.includes(`baseUrl: '${served}/api/v1'`), `${served}: TypeScript says ${shown.typescript}`);
      assert.equal(shown.servers[0], `${served}/api/v1/orders`, `${served}: the first server`);
      assert.ok(shown.guideCode.includes(`${served}/api/v1/categories`), `${served}: getting-started`);
      assert.equal(shown.postman, `${served}/api/v1`, `${served}: Postman baseUrl`);
      for (const text of [shown.curl, shown.typescript, shown.guideCode]) assert.ok(!text.includes(DEFAULT_ORIGIN), `${served}: ${DEFAULT_ORIGIN} still shown`);
    }
  });

  test('opened from the file system, the docs name the local sandbox npm start runs', async () => {
    const shown = await shownOrigins(`${pathToFileURL(site.outDir).href}/`);
    assert.ok(shown.curl.includes(`STARSHIP_ORIGIN:-${DEFAULT_ORIGIN}}`));
    assert.ok(shown.typescript.includes(`baseUrl: '${DEFAULT_ORIGIN}/api/v1'`));
    assert.equal(shown.servers[0], `${DEFAULT_ORIGIN}/api/v1/orders`);
    assert.ok(shown.guideCode.includes(`${DEFAULT_ORIGIN}/api/v1/categories`));
    assert.equal(shown.postman, 'starship.postman_collection.json', 'the collection file itself, baseUrl as built');
  });

  test('long sample lines wrap in the reference and scroll in the guides: nothing is cut off', async () => {
    const { page, found } = await open(REFERENCE_PAGES.partner.file);
    await routeTo(page, '#/orders/createorder');
    const panel = samplePanel(page, 'orders/createorder');
    await panel.section.waitFor();
    await panel.choose('curl');
    await panel.code.getByText('--data-raw', { exact: false }).first().waitFor({ state: 'visible' });
    const box = await panel.code.evaluate((pre) => ({ scroll: pre.scrollWidth, client: pre.clientWidth, text: pre.textContent ?? '' }));
    assert.ok(box.text.includes('--data-raw "$BODY"'), `the curl sample is shown: ${box.text}`);
    assert.ok(box.scroll <= box.client, `the curl sample is ${box.scroll} px wide in a ${box.client} px panel`);
    await page.screenshot({ path: path.join(screenshotDir, 'partner-api-curl-sample.png') });
    assertClean(REFERENCE_PAGES.partner.file, found);
    await page.close();

    for (const { file, kind } of site.pages.filter((p) => p.kind === 'guide')) {
      const guide = await open(file);
      const hidden = await guide.page.$$eval('pre', (blocks) =>
        blocks
          // The page's own getComputedStyle (this callback runs in the browser; the test compiles without DOM types).
          .filter((pre) => pre.scrollWidth > pre.clientWidth && !['auto', 'scroll'].includes((globalThis as unknown as { getComputedStyle(e: unknown): { overflowX: string } }).getComputedStyle(pre).overflowX))
          .map((pre) => (pre.textContent ?? '').slice(0, 60)),
      );
      assert.deepEqual(hidden, [], `${file} (${kind}): code blocks cut off`);
      await guide.page.close();
    }
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
