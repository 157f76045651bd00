import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { z } from 'zod';
import type { Client } from '../helpers/client.ts';
import { INBOUND, type OUTBOUND, type ServerToClientEvents, type SocketRole, type TripRoomData } from '../../src/protocol/index.ts';
import type { socketRole } from '../../src/protocol/families/connection.ts';
import type { tripRoomData } from '../../src/protocol/families/rides-outbound.ts';
import { request } from '../helpers/client.ts';
import { startServer } from '../helpers/server.ts';

/**
 * Compile-time checks of the typed event maps: `npm run typecheck` fails if a
 * misspelt event or a wrong payload type compiles. Never called at run time.
 */
export function typeChecks(socket: Client): void {
  socket.emit('leave_room', { roomId: 'trip:1' });
  socket.emit('ping');
  // @ts-expect-error misspelt event name
  socket.emit('leave_rooom', { roomId: 'trip:1' });
  // @ts-expect-error wrong payload type
  socket.emit('leave_room', { roomId: 42 });
  socket.on('authenticated', (p) => p.connectionId.toUpperCase());
  // @ts-expect-error no such field on `authenticated`
  socket.on('authenticated', (p) => p.token);
  // Outbound payload types come from the outbound schemas: nullable fields stay nullable.
  socket.on('trip_accepted', (p) => p.vehicleInfo?.plateNumber.toUpperCase());
  // @ts-expect-error `vehicleInfo` may be null
  socket.on('trip_accepted', (p) => p.vehicleInfo.plateNumber);
  socket.on('pong', () => undefined);
}

/** Exact type equality (not just assignability either way). */
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
const agree = <T extends true>(): T | undefined => undefined;
// Types kept by hand beside a schema agree with it exactly.
agree<Equals<TripRoomData, z.output<typeof tripRoomData>>>();
agree<Equals<SocketRole, z.output<typeof socketRole>>>();
// The server's event map is exactly the documented outbound events.
agree<Equals<keyof ServerToClientEvents, keyof typeof OUTBOUND>>();

test('every inbound event in the protocol reaches a handler of its family', async () => {
  const server = await startServer();
  try {
    const admin = await server.client('maps-admin', 'admin');
    for (const event of Object.keys(INBOUND)) {
      if (event === 'emergency_alert') continue; // would raise a real alert; its handler is covered in test/alerts
      // A payload no schema accepts: the router must know the event (no UNKNOWN_EVENT) and answer with a stable code.
      const answer = await request(admin, event, { tripId: 42 });
      if (answer.success) continue;
      assert.notEqual(answer.error.code, 'UNKNOWN_EVENT', event);
      assert.notEqual(answer.error.code, 'INTERNAL_ERROR', event);
    }
    const unknown = await request(admin, 'no_such_event', {});
    assert.equal(unknown.success, false);
    assert.equal(!unknown.success && unknown.error.code, 'UNKNOWN_EVENT');
  } finally {
    await server.close();
  }
});
