import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { driver, rider } from '../../examples/quick-start.ts';
import { OUTBOUND } from '../../src/protocol/index.ts';
import { startServer } from '../helpers/server.ts';

/** The README's quick start, run against a real server: the first code a user reads must work. */
test('the quick-start driver and rider get a trip requested and accepted', async () => {
  const server = await startServer();
  try {
    const d = await driver(server.url, await server.token('qs-driver', 'driver', { name: 'Mohamed Ali' }));
    const r = await rider(server.url, await server.token('qs-rider', 'passenger', { name: 'Ahmed Mohamed' }));
    const assigned = await d.assigned;
    assert.equal(r.accepted.driverId, 'qs-driver');
    assert.equal(r.accepted.driverName, 'Mohamed Ali');
    assert.equal(assigned.tripId, r.accepted.tripId);
    assert.equal(assigned.passengerId, 'qs-rider');
    // What the server sent matches the schemas docs/protocol.md is generated from.
    OUTBOUND.trip_accepted.schema.parse(r.accepted);
    OUTBOUND.trip_assignment_confirmed.schema.parse(assigned);
    r.socket.close();
    d.socket.close();
  } finally {
    await server.close();
  }
});

test('the quick start runs as a script with two tokens', async () => {
  const server = await startServer();
  try {
    const args = ['--import', 'tsx', 'examples/quick-start.ts', await server.token('qs-rider-2', 'passenger'), await server.token('qs-driver-2', 'driver'), server.url];
    const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: new URL('../..', import.meta.url), timeout: 30_000 });
    assert.match(stdout, /driver: offered Khartoum University → Blue Nile Bridge/);
    assert.match(stdout, /rider: trip [0-9a-f-]{36} requested, 1 driver\(s\) nearby/);
    assert.match(stdout, /rider: \S+ accepted/);
  } finally {
    await server.close();
  }
});
