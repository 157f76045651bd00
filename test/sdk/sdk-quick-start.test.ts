import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { driver, rider } from '../../examples/sdk-quick-start.ts';
import { startServer } from '../helpers/server.ts';

/** The README's SDK quick start against a real server, as functions and as the script a reader runs. */
test('the SDK quick start: a trip requested and accepted, in process and as a script', async () => {
  const server = await startServer();
  try {
    const d = await driver(server.url, await server.token('sdkqs-driver', 'driver', { name: 'Mohamed Ali' }));
    const r = await rider(server.url, await server.token('sdkqs-rider', 'passenger', { name: 'Ahmed Mohamed' }));
    const assigned = await d.assigned;
    assert.equal(assigned.passengerId, 'sdkqs-rider');
    assert.equal(r.driverName, 'Mohamed Ali');
    r.client.close();
    d.client.close();

    const args = ['--import', 'tsx', 'examples/sdk-quick-start.ts', await server.token('sdkqs-rider-2', 'passenger'), await server.token('sdkqs-driver-2', 'driver'), server.url];
    const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: new URL('../..', import.meta.url), timeout: 60_000 });
    assert.match(stdout, /driver: offered Khartoum University → Blue Nile Bridge/);
    assert.match(stdout, /rider: trip [0-9a-f-]{36} requested, 1 driver\(s\) nearby/);
    assert.match(stdout, /rider: \S+ accepted/);
  } finally {
    await server.close();
  }
});
