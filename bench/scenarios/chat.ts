/**
 * Chat: a 1,000-member room taking 200 messages/s, and history reads over
 * many stored messages.
 *   node --import tsx bench/scenarios/chat.ts [--quick] [--rate 200] [--members 1000]
 *
 * 1. Fan-out: one sender (socket.io-client, acks) sends `message:send` open
 *    loop at 200/s for a fixed window; 1,000 members (raw WebSocket clients
 *    in two worker threads) joined the room. Delivery latency = receive time
 *    − send time carried in the content; server CPU per delivered message =
 *    server CPU seconds (/proc) ÷ frames delivered. The same against bare
 *    Socket.IO doing the same room emit (chat-bare-server.ts), in the same run.
 *    Livegate runs on PostgreSQL when its binaries are present (else PGlite)
 *    with its full path: membership check, sanitizer, insert, offline check
 *    of every member (all online), Redis-free delivery.
 * 2. History: a second room seeded with N messages in one INSERT … SELECT
 *    generate_series (PostgreSQL only); `room:join` (room + last 50) and
 *    `room:history` (random keyset cursors, 50 per page) measured one at a
 *    time, p50/p99.
 * Loopback only, bounded in time.
 */
import pg from 'pg';
import { io as connect } from 'socket.io-client';
import { startPostgres } from '../../test/helpers/postgres.ts';
import { cpuSecondsOf } from '../lib/proc.ts';
import { report, type BenchRow } from '../lib/result.ts';
import { SECRET, load, log, round, scenarioArgs, startTarget, token, type Target } from '../lib/targets.ts';
import { fork, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '../lib/spawn-server.ts';

const { quick, value, profileDir } = scenarioArgs();
// The goal's load is 1,000 members × 200 messages/s = 200k deliveries/s: more than this 2-core machine's
// socket writes allow with the receivers on the same cores; `--rate` and `--members` scale it down for a valid row.
const MEMBERS = Number(value('members') ?? 1000);
const RATE = Number(value('rate') ?? 200);
const WINDOW_MS = quick ? 4_000 : 10_000;
const SEEDED = quick ? 100_000 : 1_000_000;
const READS = quick ? 200 : 500;
const startedAt = new Date();
const loadStart = load();

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : null;
};

async function startBare(): Promise<Target> {
  const port = await freePort();
  const script = fileURLToPath(new URL('./chat-bare-server.ts', import.meta.url));
  const proc = spawn(process.execPath, ['--import', 'tsx', script], { env: { ...process.env, PORT: String(port), JWT_SECRET: SECRET }, stdio: ['ignore', 'pipe', 'inherit'] });
  process.once('exit', () => proc.kill('SIGKILL'));
  await new Promise<void>((resolve, reject) => {
    proc.once('exit', (code) => reject(new Error(`bare server exited with ${code}`)));
    proc.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
  });
  return { impl: 'bare-socketio', pid: proc.pid!, url: `http://127.0.0.1:${port}`, proc, stop: async () => void proc.kill('SIGKILL') };
}

async function api(url: string, path: string, body: unknown): Promise<{ room: { id: string } }> {
  const res = await fetch(url + path, { method: 'POST', headers: { authorization: `Bearer ${await token('bench-service', 'service')}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<{ room: { id: string } }>;
}

/** A socket.io-client as `sub`, resolved once authenticated. */
async function client(url: string, sub: string) {
  const s = connect(url, { transports: ['websocket'], reconnection: false, forceNew: true, auth: { token: await token(sub, 'passenger') } });
  await new Promise<void>((resolve, reject) => {
    s.once('authenticated', () => resolve());
    s.once('connect_error', reject);
  });
  return s;
}

async function fanout(target: Target, impl: string): Promise<BenchRow> {
  const ids = Array.from({ length: MEMBERS }, (_, i) => `bench-chat-${i}`);
  const roomId = impl === 'livegate' ? (await api(target.url, '/api/chat/rooms', { name: 'bench', type: 'group', members: ['bench-chat-sender', ...ids] })).room.id : 'bench';
  const tokens = await Promise.all(ids.map((id) => token(id, 'passenger')));
  const script = fileURLToPath(new URL('./chat-receivers.ts', import.meta.url));
  const workers = [0, 1].map((k) => fork(script, [], {
    execArgv: ['--import', 'tsx'], env: { ...process.env, CHAT_RECEIVERS: JSON.stringify({ url: target.url, tokens: tokens.slice(k * 500, (k + 1) * 500), roomId }) },
  }));
  for (const w of workers) process.once('exit', () => w.kill('SIGKILL'));
  await Promise.all(workers.map((w) => new Promise<void>((resolve, reject) => {
    w.once('error', reject);
    w.once('message', () => resolve());
  })));
  const sender = await client(target.url, 'bench-chat-sender');
  const ask = (ev: string, p: unknown) => sender.timeout(10_000).emitWithAck(ev, p) as Promise<{ success: boolean }>;
  if (!(await ask('room:join', { roomId })).success) throw new Error('sender could not join');
  log(`${impl}: ${MEMBERS} members joined, sending ${RATE}/s for ${WINDOW_MS} ms`);
  const cpu0 = cpuSecondsOf(target.pid);
  const t0 = Date.now();
  let sent = 0;
  let failed = 0;
  const acks: Promise<unknown>[] = [];
  const end = t0 + WINDOW_MS;
  // Open loop: message n is due at t0 + n × 5 ms, whatever the server does.
  while (Date.now() < end) {
    const due = t0 + sent * (1000 / RATE);
    const wait = due - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    acks.push(ask('message:send', { roomId, content: `t${Date.now()} ${'x'.repeat(40)}` }).then((r) => void (r.success || failed++), () => void failed++));
    sent++;
  }
  await Promise.all(acks);
  const expected = sent * MEMBERS;
  let received = 0;
  const lat: number[] = [];
  for (let waited = 0; waited < 15_000 && received < expected; waited += 200) {
    await new Promise((r) => setTimeout(r, 200));
    const stats = await Promise.all(workers.map((w) => new Promise<{ received: number; latencies: number[] }>((resolve) => {
      w.once('message', (m: { received: number; latencies: number[] }) => resolve(m));
      w.send('stats');
    })));
    received = stats.reduce((n, s) => n + s.received, 0);
    for (const s of stats) for (const x of s.latencies) lat.push(x);
  }
  const cpu = cpuSecondsOf(target.pid) - cpu0;
  const wall = (Date.now() - t0) / 1000;
  sender.close();
  for (const w of workers) w.kill('SIGKILL');
  const valid = received === expected && failed === 0;
  log(`${impl}: sent ${sent}, received ${received}/${expected}, p99 ${pct(lat, 99)} ms, CPU ${round(cpu, 2)} s (${round((cpu / wall) * 100)} %)`);
  return {
    impl, variant: `${RATE} msg/s × ${MEMBERS} members`, valid,
    note: valid ? '' : `INVALID: received ${received} of ${expected}, ${failed} sends failed`,
    metrics: { p50Ms: pct(lat, 50), p99Ms: pct(lat, 99), maxMs: pct(lat, 100), serverCpuUsPerDelivery: received ? round((cpu / received) * 1e6, 2) : null, serverCpuPct: round((cpu / wall) * 100), delivered: received },
  };
}

async function history(target: Target, databaseUrl: string): Promise<BenchRow[]> {
  const roomId = (await api(target.url, '/api/chat/rooms', { name: 'history', type: 'group', members: ['bench-reader'] })).room.id;
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const s0 = Date.now();
  await db.query(`INSERT INTO chat_messages (id, room_id, sender_id, sender_name, type, content, created_at)
    SELECT gen_random_uuid(), $1, 'bench-seed', 'Seed', 'text', 'seeded message ' || g, now() - (($2 - g) || ' ms')::interval FROM generate_series(1, $2) g`, [roomId, SEEDED]);
  await db.query('ANALYZE chat_messages');
  const { rows } = await db.query<{ min: string; max: string }>('SELECT min(seq)::text AS min, max(seq)::text AS max FROM chat_messages WHERE room_id = $1', [roomId]);
  await db.end();
  log(`seeded ${SEEDED} messages in ${Date.now() - s0} ms`);
  const reader = await client(target.url, 'bench-reader');
  const ask = (ev: string, p: unknown) => reader.timeout(10_000).emitWithAck(ev, p) as Promise<{ success: boolean }>;
  const time = async (fn: () => Promise<{ success: boolean }>) => {
    const t = performance.now();
    const r = await fn();
    if (!r.success) throw new Error(JSON.stringify(r));
    return performance.now() - t;
  };
  const [min, max] = [Number(rows[0]!.min), Number(rows[0]!.max)];
  const joins: number[] = [];
  const pages: number[] = [];
  for (let i = 0; i < READS; i++) {
    joins.push(await time(() => ask('room:join', { roomId })));
    const before = String(min + 50 + Math.floor(Math.random() * (max - min - 50)));
    pages.push(await time(() => ask('room:history', { roomId, before, limit: 50 })));
  }
  reader.close();
  const row = (variant: string, xs: number[]): BenchRow => ({ impl: 'livegate', variant, valid: true, metrics: { p50Ms: round(pct(xs, 50)!, 2), p99Ms: round(pct(xs, 99)!, 2), maxMs: round(pct(xs, 100)!, 2) } });
  return [row(`room:join (room + last 50) over ${SEEDED} messages`, joins), row(`room:history (50, random keyset cursor) over ${SEEDED} messages`, pages)];
}

const rows: BenchRow[] = [];
const notes: string[] = [];
const pgServer = await startPostgres();
if (!pgServer) notes.push('PostgreSQL binaries missing: Livegate ran on PGlite and the history part was skipped.');
const env = { RATE_LIMIT_CHAT: '0', CHAT_TYPING_RATE: '0', ...(pgServer ? { DATABASE_URL: pgServer.url } : {}) };
try {
  const lg = await startTarget('livegate', { env, profileDir });
  try {
    rows.push(await fanout(lg, 'livegate'));
    if (pgServer) rows.push(...(await history(lg, pgServer.url)));
  } finally {
    await lg.stop();
  }
  const bare = await startBare();
  try {
    rows.push(await fanout(bare, 'bare-socketio'));
  } finally {
    await bare.stop();
  }
} finally {
  await pgServer?.stop();
}

console.table(rows.map((r) => ({ impl: r.impl, variant: r.variant, ...r.metrics, valid: r.valid, note: r.note })));
const get = (impl: string, m: string) => rows.find((r) => r.impl === impl && r.variant?.includes('msg/s'))?.metrics[m] ?? null;
const ratio = (a: number | null, b: number | null) => (a !== null && b ? round(a / b, 2) : null);
report({
  scenario: 'chat',
  title: `Chat: ${MEMBERS}-member room at ${RATE} messages/s; history over ${SEEDED} messages`,
  quick,
  command: `node --import tsx bench/scenarios/chat.ts${quick ? ' --quick' : ''}`,
  headline: { metric: 'p99Ms', unit: 'ms', higherIsBetter: false },
  rows,
  ratios: {
    'livegate/bare-socketio p99': ratio(get('livegate', 'p99Ms'), get('bare-socketio', 'p99Ms')),
    'livegate/bare-socketio cpu per delivery': ratio(get('livegate', 'serverCpuUsPerDelivery'), get('bare-socketio', 'serverCpuUsPerDelivery')),
  },
  goals: [],
  load: { start: loadStart, end: load() },
  startedAt: startedAt.toISOString(),
  durationS: Math.round((Date.now() - startedAt.getTime()) / 1000),
  notes: [`Livegate storage: ${pgServer ? 'PostgreSQL (local, loopback)' : 'PGlite'}.`, ...notes],
});
process.exit(0);
