import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { next, request, type Client } from '../helpers/client.ts';
import { eventually } from '../helpers/eventually.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** A transparent 1×1 PNG: every map tile, from a tile server on loopback (this machine may be offline). */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
const at = (secondsAgo: number) => new Date(Date.now() - secondsAgo * 1000).toISOString();

describe('the dashboard page in a real browser', () => {
  let tiles: Server;
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const clients: Client[] = [];

  before(async () => {
    tiles = createServer((_req, res) => res.writeHead(200, { 'content-type': 'image/png' }).end(PNG));
    await new Promise<void>((r) => tiles.listen(0, '127.0.0.1', r));
    const tilePort = (tiles.address() as AddressInfo).port;
    server = await startServer({ DASHBOARD_TILE_URL: `http://127.0.0.1:${tilePort}/{z}/{x}/{y}.png`, DASHBOARD_BATCH_MS: '250', RATE_LIMIT_LOCATION: '0' });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--autoplay-policy=no-user-gesture-required'] });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('console', (m) => void (m.type() === 'error' && problems.push(`console: ${m.text()}`)));
    page.on('pageerror', (err) => void problems.push(`pageerror: ${err.message}`));
  });
  after(async () => {
    for (const c of clients) c.close();
    await browser?.close();
    await server?.close();
    await new Promise((r) => tiles?.close(r));
  });

  test('sign in with an admin token: the page goes live on /admin (same origin, not in CORS_ORIGINS)', async () => {
    await page.goto(`${server.url}/dashboard`);
    await page.fill('#token', await server.token('page-admin', 'admin'));
    await page.click('#signin-form button[type=submit]');
    await page.waitForSelector('#link[data-state="live"]', { timeout: 15_000 });
    assert.ok(await page.evaluate(() => Boolean(sessionStorage.getItem('livegate.adminToken'))));
  });

  test('a driver appears on the map and moves as it sends positions', async () => {
    const driver = await server.client('page-driver', 'driver');
    clients.push(driver);
    const send = (latitude: number, secondsAgo: number) =>
      request(driver, 'driver_location_update', { location: { latitude, longitude: 32.5599, heading: 45 }, timestamp: at(secondsAgo), isAvailable: true });
    assert.equal((await send(15.5007, 4)).success, true);
    const shown = () => page.evaluate(() => (window as unknown as { livegateDashboard: { driver(id: string): { lat: number; state: string } | undefined } }).livegateDashboard.driver('page-driver'));
    await eventually(async () => assert.deepEqual(await shown(), { lat: 15.5007, lng: 32.5599, state: 'available' }), 10_000);
    assert.equal((await send(15.5017, 2)).success, true);
    await eventually(async () => assert.equal((await shown())?.lat, 15.5017), 10_000);
    await page.waitForSelector('#count-drivers:text("1")');
  });

  test('a trip shows in the trips list with its live status', async () => {
    const rider = await server.client('page-rider', 'passenger');
    clients.push(rider);
    const answer = await request<{ tripId: string }>(rider, 'trip_request', {
      pickupAddress: 'Khartoum University', pickupLatitude: 15.5012, pickupLongitude: 32.5599,
      dropoffAddress: 'Blue Nile Bridge', dropoffLatitude: 15.5994, dropoffLongitude: 32.5344,
    });
    assert.ok(answer.success);
    await page.waitForSelector(`#trip-${answer.data.tripId} .status.searching_driver`, { timeout: 10_000 });
  });

  test('an emergency alert arrives highlighted; Acknowledge records it in the database', async () => {
    const driver = clients[0]!;
    const raised = await request<{ alertId: string }>(driver, 'emergency_alert', { location: { latitude: 15.5017, longitude: 32.5599 }, message: 'Passenger unwell', severity: 'critical' });
    assert.ok(raised.success);
    const id = raised.data.alertId;
    await page.waitForSelector(`#alert-${id}.open.fresh`, { timeout: 10_000 });
    assert.match(await page.textContent('#alert-banner') ?? '', /1 open emergency alert/);
    await page.click(`#alert-${id} button.ack`);
    await page.waitForSelector(`#alert-${id}.acknowledged`, { timeout: 10_000 });
    const { rows } = await server.app.db.query<{ acknowledged_by: string | null; acknowledged_at: unknown }>('SELECT acknowledged_by, acknowledged_at FROM alerts WHERE id = $1', [id]);
    assert.equal(rows[0]?.acknowledged_by, 'page-admin');
    assert.ok(rows[0]?.acknowledged_at);
  });

  test('the composer sends a notification that a connected client receives', async () => {
    const rider = clients[1]!;
    const received = next(rider, 'notification', 10_000);
    await page.fill('#composer input[name=userId]', 'page-rider');
    await page.fill('#composer input[name=title]', 'Road closed');
    await page.fill('#composer textarea[name=message]', 'Nile Street is closed until 18:00');
    await page.click('#composer button[type=submit]');
    const n = await received;
    assert.equal(n.message, 'Nile Street is closed until 18:00');
    await page.waitForSelector('#composer-result:text("sent to page-rider")');
  });

  test('connections per node and transport, and the metrics charts, fill in; no console errors', async () => {
    await page.waitForSelector('#connections tr td:text("websocket")', { timeout: 10_000 });
    await page.waitForSelector('#chart-connections .uplot');
    assert.deepEqual(problems, []);
  });
});
