/**
 * RSS of an idle gateway holding N authenticated connections.
 *   npm run bench:idle -- --clients 1000
 * Starts the gateway in its own process, connects N raw-WebSocket Socket.IO
 * clients (spread over 127.0.0.x source addresses), and reports the server's
 * RSS before and after, per connection, and connections per GB.
 */
import { signToken } from '../src/auth/token-signer.ts';
import { parseFlags } from '../src/cli/args.ts';
import { rssOf } from './lib/proc.ts';
import { spawnGateway } from './lib/spawn-server.ts';
import { WireClient } from './lib/wire-client.ts';

const flags = parseFlags(process.argv.slice(2));
const clients = Number(flags.clients ?? 1000);
const secret = 'bench-secret-0123456789-0123456789-abcdef';
const server = await spawnGateway({ JWT_SECRET: secret, MAX_CONNECTIONS_PER_USER: '5' });
const pid = server.proc.pid!;
/** Waits until RSS stops moving (start-up garbage, PGlite's heap) so before/after compare like with like. */
async function settledRss(): Promise<number> {
  let last = rssOf(pid);
  for (let stable = 0, i = 0; stable < 4 && i < 120; i++) {
    await new Promise((r) => setTimeout(r, 500));
    const now = rssOf(pid);
    stable = Math.abs(now - last) < last * 0.005 ? stable + 1 : 0;
    last = now;
  }
  return last;
}
const idleRss = await settledRss();

const conns: WireClient[] = [];
const started = Date.now();
const batch = 200;
async function connectUpTo(target: number): Promise<void> {
for (let i = conns.length; i < target; i += batch) {
  const wave = [];
  for (let j = i; j < Math.min(i + batch, target); j++) {
    const token = await signToken(secret, { sub: `idle-${j}`, role: j % 2 ? 'driver' : 'passenger', ttl: '2h' });
    const c = new WireClient(server.url, token, `127.0.0.${2 + (j % 50)}`);
    conns.push(c);
    wave.push(c.connect());
  }
  await Promise.all(wave);
  process.stderr.write(`\rconnected ${conns.length}/${clients}`);
}
}
// Per-connection memory is the slope between a tenth and all of the clients:
// the baseline moves (PGlite's WebAssembly heap, start-up garbage) but the slope does not.
const first = Math.max(1, Math.floor(clients / 10));
await connectUpTo(first);
const before = await settledRss();
await connectUpTo(clients);
const connectSeconds = (Date.now() - started) / 1000;
const after = await settledRss();
const perConn = (after - before) / (clients - first);
const result = {
  clients,
  connectSeconds: Math.round(connectSeconds * 10) / 10,
  idleRssMiB: +(idleRss / 2 ** 20).toFixed(1),
  rssAtTenthMiB: +(before / 2 ** 20).toFixed(1),
  rssAfterMiB: +(after / 2 ** 20).toFixed(1),
  bytesPerConnection: Math.round(perConn),
  connectionsPerGB: Math.round(1e9 / perConn),
};
process.stderr.write('\n');
console.table([result]);
console.log(JSON.stringify(result));
for (const c of conns) c.close();
await server.stop();
