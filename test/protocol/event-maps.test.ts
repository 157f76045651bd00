import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Client } from '../helpers/client.ts';
import { INBOUND } from '../../src/protocol/index.ts';
import { createHandlers } from '../../src/realtime/handlers/index.ts';

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
}

test('every inbound event in the protocol has exactly one handler', () => {
  const handlers = createHandlers({} as Parameters<typeof createHandlers>[0]);
  assert.deepEqual(Object.keys(handlers).sort(), Object.keys(INBOUND).sort());
});
