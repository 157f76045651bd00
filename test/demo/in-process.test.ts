import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { eventually, within } from '../helpers/eventually.ts';
import { freePort } from '../helpers/ports.ts';
import { runCli, type CliProcess } from '../helpers/process.ts';
import { TEST_SECRET } from '../helpers/server.ts';

// With nothing answering at --url the demo starts the gateway in its own process; once the demo
// has stopped, nothing of that gateway (database, timers, sockets) may keep the process alive.
const ENV = { NODE_ENV: 'test', JWT_SECRET: TEST_SECRET, DATA_DIR: 'memory', LOG_LEVEL: 'warn', LOCATION_MAX_SPEED_KMH: '5000', RATE_LIMIT_DEFAULT: '1000/1' };
/** From "Demo stopped." to the end of the process: the in-process gateway's shutdown, nothing more. */
const EXIT_AFTER_STOP_MS = 6000;

const children: CliProcess[] = [];
after(async () => {
  for (const c of children) await c.kill();
});

async function demo(...args: string[]): Promise<CliProcess> {
  const url = `http://127.0.0.1:${await freePort()}`;
  const child = runCli(['demo', '--url', url, '--speed', '20', '--max-kmh', '1000', '--drivers', '4', '--riders', '3', ...args], ENV);
  children.push(child);
  return child;
}

/** Exit code 0 soon after "Demo stopped.", however long the demo took to get there. */
async function exitsSoonAfterStopping(child: CliProcess): Promise<void> {
  await within(eventually(() => assert.match(child.stdout(), /Demo stopped\./), 90_000, 50), 100_000, `"Demo stopped."\n${child.stdout()}\n${child.stderr()}`);
  const { code } = await within(child.exited, EXIT_AFTER_STOP_MS, `the demo's process to exit after "Demo stopped." (something keeps it alive)\n${child.stderr()}`);
  assert.equal(code, 0, child.stderr());
}

test('with the gateway in process, --duration 3 ends the demo and the process exits 0 right after', async () => {
  const child = await demo('--duration', '3');
  await exitsSoonAfterStopping(child);
  assert.match(child.stdout(), /starting one in this process/);
  // On a loaded machine 3 s may end before every agent has connected.
  assert.match(child.stdout(), /drivers \d+ · riders \d+ · trips requested/);
});

test('with the gateway in process, SIGINT mid-run stops the demo and the process exits 0 right after', async () => {
  const child = await demo();
  // Agents connected and ticking: the progress line has been printed at least once.
  await eventually(() => assert.match(child.stdout(), /drivers 4 · riders 3/), 90_000, 100);
  child.proc.kill('SIGINT');
  await exitsSoonAfterStopping(child);
});
