import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Client } from '../helpers/client.ts';
import { INBOUND } from '../../src/protocol/index.ts';

/**
 * Compile-time checks of family A in the typed event maps: `npm run
 * typecheck` fails if a misspelt trip event or a wrong payload compiles.
 * Never called at run time.
 */
export function tripTypeChecks(socket: Client): void {
  socket.emit('trip_accept', { tripId: '6f1c2d7e-0000-4000-8000-000000000001', estimatedArrival: 8 });
  socket.emit('subscribe:trip', '6f1c2d7e-0000-4000-8000-000000000001');
  // @ts-expect-error misspelt event name
  socket.emit('trip_acept', { tripId: 'x' });
  // @ts-expect-error estimatedArrival is minutes, a number
  socket.emit('trip_accept', { tripId: 'x', estimatedArrival: 'soon' });
  socket.on('new_trip_available', (p) => p.expiresAt.toUpperCase());
  socket.on('trip_completed', (p) => p.actualFare.toFixed(2));
  // @ts-expect-error no such field on `trip_unavailable`
  socket.on('trip_unavailable', (p) => p.driverId);
  socket.on('trip:cancelled', (p) => p.reason.length);
}

test('family A is registered: every trip event from seed 000 and seed 001 is inbound', () => {
  for (const event of ['trip_request', 'trip_accept', 'trip_reject', 'driver_arrived', 'trip_started', 'trip_completed', 'trip_cancel', 'join_trip', 'subscribe:trip']) {
    assert.ok(Object.hasOwn(INBOUND, event), event);
  }
  assert.equal(INBOUND.trip_request.failure?.event, 'trip_request_failed');
  assert.equal(INBOUND.trip_accept.failure?.event, 'trip_accept_failed');
});
