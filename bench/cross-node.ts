/**
 * Cross-node emits through Redis (issue 3), against a single node in the same run.
 *   npm run bench:cross-node [-- --quick] [-- --rates 5000,10000,20000]
 * Two gateway processes share one redis-server. Senders on node A emit
 * `profile_updated`; the gateway forwards each to the user's other socket,
 * which is connected to node B (cross-node) or to node A (single node).
 * Open-loop senders stamp the intended send time; latency is measured from it.
 */
import { performance } from 'node:perf_hooks';
import { signToken } from '../src/auth/token-signer.ts';
import { parseFlags } from '../src/cli/args.ts';
import { startRedis } from '../test/helpers/redis.ts';
import { LatencyHistogram } from './lib/histogram.ts';
import { openLoop } from './lib/open-loop.ts';
import { cpuSecondsOf } from './lib/proc.ts';
import { spawnGateway, type SpawnedServer } from './lib/spawn-server.ts';
import { WireClient } from './lib/wire-client.ts';

const flags = parseFlags(process.argv.slice(2));
const quick = flags.quick === true;
const rates = String(flags.rates ?? (quick ? '5000,20000' : '5000,10000,20000,30000')).split(',').map(Number);
const stepMs = quick ? 4000 : 10_000;
const pairs = 40;
const SECRET = 'bench-cross-node-secret-0123456789abcdef';

interface Row { mode: string; adapter: string; rate: number; sent: number; received: number; lost: number; p50: number; p99: number; p999: number; max: number; cpuA: number; cpuB: number; maxLagMs: number; valid: boolean }

async function runStep(mode: 'single' | 'cross', adapter: string, a: SpawnedServer, b: SpawnedServer, rate: number): Promise<Row> {
  const hist = new LatencyHistogram();
  let received = 0;
  const senders: WireClient[] = [];
  const receivers: WireClient[] = [];
  for (let i = 0; i < pairs; i++) {
    const token = await signToken(SECRET, { sub: `xn-${mode}-${adapter}-${rate}-${i}`, role: 'passenger', ttl: '1h' });
    const receiver = new WireClient(mode === 'cross' ? b.url : a.url, token, `127.0.0.${2 + (i % 20)}`);
    receiver.onEvent = (event, payload) => {
      if (event !== 'profile_updated') return;
      const sentAt = Number((payload as { changes: string[] }).changes[0]);
      hist.recordMs(performance.now() - sentAt);
      received++;
    };
    await receiver.connect();
    const sender = new WireClient(a.url, token, `127.0.0.${30 + (i % 20)}`);
    await sender.connect();
    senders.push(sender);
    receivers.push(receiver);
  }
  const userIds = senders.map((_, i) => `xn-${mode}-${adapter}-${rate}-${i}`);
  const cpuA0 = cpuSecondsOf(a.proc.pid!);
  const cpuB0 = cpuSecondsOf(b.proc.pid!);
  const t0 = performance.now();
  const { sent, maxLagMs } = await openLoop(rate, stepMs, (i, intended) => {
    const k = i % pairs;
    senders[k]!.emit('profile_updated', { userId: userIds[k], changes: [intended.toFixed(3)] });
  });
  const deadline = performance.now() + 3000;
  while (received < sent && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const seconds = (performance.now() - t0) / 1000;
  const cpuA = (cpuSecondsOf(a.proc.pid!) - cpuA0) / seconds;
  const cpuB = (cpuSecondsOf(b.proc.pid!) - cpuB0) / seconds;
  for (const c of [...senders, ...receivers]) c.close();
  const s = hist.summary();
  return { mode, adapter, rate, sent, received, lost: sent - received, ...s, cpuA: +(cpuA * 100).toFixed(0), cpuB: +(cpuB * 100).toFixed(0), maxLagMs: +maxLagMs.toFixed(1), valid: received === sent && maxLagMs < 50 };
}

const redis = await startRedis();
if (!redis) {
  console.error('redis-server is required for this benchmark');
  process.exit(1);
}
const rows: Row[] = [];
const env = { JWT_SECRET: SECRET, REDIS_URL: redis.url, MAX_CONNECTIONS_PER_USER: '10', RATE_LIMIT_DEFAULT: '0', LOG_LEVEL: 'error' };
const adapters = String(flags.adapters ?? 'pubsub,streams').split(',');
for (const adapter of adapters) {
  const a = await spawnGateway({ ...env, REDIS_ADAPTER: adapter, NODE_ID: 'bench-a' });
  const b = await spawnGateway({ ...env, REDIS_ADAPTER: adapter, NODE_ID: 'bench-b' });
  // Warm-up (JIT, connection set-up) so the first measured step is not a cold start.
  await runStep('cross', adapter, a, b, Math.min(...rates) / 2);
  await runStep('single', adapter, a, b, Math.min(...rates) / 2);
  for (const rate of rates) {
    for (const mode of ['single', 'cross'] as const) {
      process.stderr.write(`\r${adapter} ${mode} ${rate}/s ...          `);
      rows.push(await runStep(mode, adapter, a, b, rate));
    }
  }
  await Promise.all([a.stop(), b.stop()]);
}
await redis.stop();
process.stderr.write('\n');
console.table(rows);
for (const rate of rates) {
  for (const adapter of adapters) {
    const single = rows.find((r) => r.adapter === adapter && r.rate === rate && r.mode === 'single')!;
    const cross = rows.find((r) => r.adapter === adapter && r.rate === rate && r.mode === 'cross')!;
    console.log(`${adapter} @ ${rate}/s: cross-node p99 ${cross.p99} ms vs single-node ${single.p99} ms (×${(cross.p99 / single.p99).toFixed(2)}); lost ${cross.lost}; ${cross.valid ? 'valid' : 'INVALID (loss or generator lag)'}`);
  }
}
console.log(JSON.stringify({ bench: 'cross-node', stepMs, pairs, rows }));
