import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { startServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let browser: Browser | undefined;

before(async () => {
  server = await startServer();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test('GET /docs is a public HTML page that loads both documents from this gateway (no CDN)', async () => {
  const res = await fetch(`${server.url}/docs`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /text\/html/);
  const html = await res.text();
  assert.match(html, /\/openapi\.json/);
  assert.match(html, /\/asyncapi\.json/);
  assert.doesNotMatch(html, /https?:\/\/(?!localhost)/, 'no external resources');
  const script = await (await fetch(`${server.url}/docs/docs.js`)).text();
  assert.match(script, /fetch\(url\)/);
  assert.match(script, /'\/openapi\.json'/);
  assert.match(script, /'\/asyncapi\.json'/);
});

test('in a browser, /docs renders trip_request and POST /api/publish, filters, and logs no errors', async () => {
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(`${server.url}/docs`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  const tripRequest = page.locator('#events summary', { hasText: 'trip_request' }).first();
  await tripRequest.waitFor();
  const publish = page.locator('#http summary', { hasText: '/api/publish' }).filter({ hasText: 'POST' }).first();
  await publish.waitFor();
  // Opening an entry renders its payload schema.
  await tripRequest.click();
  await page.locator('#events details[open] code', { hasText: 'pickupLatitude' }).first().waitFor();
  await page.fill('#search', 'api/publish');
  assert.equal(await page.locator('#events summary', { hasText: 'trip_request' }).first().isVisible(), false);
  assert.equal(await publish.isVisible(), true);
  assert.deepEqual(problems, []);
});
