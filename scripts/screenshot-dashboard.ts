/**
 * Takes docs/dashboard.png: a real gateway (in memory), a few drivers and a
 * vehicle moving around Khartoum, a trip, an open alert, and the dashboard
 * in headless Chromium. Tiles are off (DASHBOARD_TILE_URL=none): the markers
 * draw on the grid background, as they do when tiles cannot load.
 *   node --import tsx scripts/screenshot-dashboard.ts [out.png]
 */
import { chromium } from 'playwright-core';
import { request } from '../test/helpers/client.ts';
import { startServer } from '../test/helpers/server.ts';

const out = process.argv[2] ?? 'docs/dashboard.png';
const server = await startServer({ DASHBOARD_TILE_URL: 'none', DASHBOARD_BATCH_MS: '250', RATE_LIMIT_LOCATION: '0' });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true });
try {
  const center = { latitude: 15.5007, longitude: 32.5599 };
  const spots = [[0.012, -0.01], [-0.008, 0.015], [0.004, 0.022], [-0.015, -0.012], [0.018, 0.008], [-0.002, -0.02]] as const;
  const drivers = await Promise.all(spots.map((_, i) => server.client(`driver-${i + 1}`, 'driver')));
  const fix = (i: number, step: number, isAvailable: boolean) => ({
    location: { latitude: center.latitude + spots[i]![0] + step * 0.0004, longitude: center.longitude + spots[i]![1] + step * 0.0003, heading: 45 },
    timestamp: new Date(Date.now() - (10 - step) * 1000).toISOString(),
    isAvailable,
  });
  // A busy one (not available), the rest available; one vehicle with its tracker.
  for (let step = 0; step < 3; step++) await Promise.all(drivers.map((d, i) => request(d, 'driver_location_update', fix(i, step, i !== 4))));
  await server.api('/api/vehicles', { body: { id: 'truck-7', plateNumber: 'KRT 7007', type: 'truck' } });
  await server.api('/api/vehicles/truck-7/telemetry', { body: { location: { lat: center.latitude - 0.006, lng: center.longitude - 0.004 }, fuelLevel: 9 } });
  const rider = await server.client('rider-1', 'passenger');
  await request(rider, 'trip_request', { pickupAddress: 'Khartoum University', pickupLatitude: 15.5012, pickupLongitude: 32.5599, dropoffAddress: 'Blue Nile Bridge', dropoffLatitude: 15.5994, dropoffLongitude: 32.5344 });
  await server.api('/api/alerts', { body: { severity: 'high', title: 'Breakdown', message: 'Vehicle stopped on Nile Street', vehicleId: 'truck-7', location: { latitude: 15.4947, longitude: 32.5559 } } });

  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(`${server.url}/dashboard`);
  await page.fill('#token', await server.token('ops-1', 'admin'));
  await page.click('#signin-form button[type=submit]');
  await page.waitForSelector('#link[data-state="live"]');
  // Positions keep arriving while the page is open.
  for (let step = 3; step < 6; step++) {
    await Promise.all(drivers.map((d, i) => request(d, 'driver_location_update', fix(i, step, i !== 4))));
    await page.waitForTimeout(400);
  }
  await page.waitForSelector('#chart-connections .uplot');
  await page.waitForTimeout(3_500); // two metric polls draw the charts
  await page.screenshot({ path: out });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  await server.close();
}
