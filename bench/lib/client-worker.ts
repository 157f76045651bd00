/**
 * A load-generator process (forked by bench/lib/client-pool.ts): holds raw
 * WebSocket Socket.IO clients, subscribes them with acks, drives open-loop
 * `driver_location_update` senders and measures the `vehicle:location`
 * frames its clients receive. Receivers do not JSON-parse position frames:
 * they read `vehicleId` and `timestamp` by string search, so the generator
 * stays cheap next to the server it measures.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import WebSocket from 'ws';
import { LogHistogram } from './log-histogram.ts';
import { wallNow } from './wall-clock.ts';

export interface ClientSpec { token: string; address: string; subscribe?: string[] }
export interface SenderSpec { client: number; vehicleId: string; latitude: number; longitude: number; phaseMs: number }
export type WorkerCommand =
  | { type: 'connect'; url: string; clients: ClientSpec[]; waveSize: number }
  | { type: 'send'; senders: SenderSpec[]; periodMs: number; startEpochMs: number; durationMs: number }
  | { type: 'reset' }
  | { type: 'stats' }
  | { type: 'close' };

const now = wallNow;
const POSITION = '42["vehicle:location"';

class Client {
  ws: WebSocket | undefined;
  private nextAck = 0;
  private readonly acks = new Map<number, (r: unknown) => void>();
  constructor(private readonly spec: ClientSpec) {}

  connect(url: string): Promise<void> {
    const ws = new WebSocket(url.replace(/^http/, 'ws') + '/socket.io/?EIO=4&transport=websocket', { perMessageDeflate: false, localAddress: this.spec.address });
    this.ws = ws;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('connect timeout')), 60_000);
      ws.on('error', (err) => (clearTimeout(timer), reject(err)));
      ws.on('message', (data: Buffer) => {
        const text = data.toString();
        if (text.startsWith(POSITION)) return onPosition(text);
        const type = text[0];
        if (type === '2') return ws.send('3');
        if (type === '0') return ws.send(`40${JSON.stringify({ token: this.spec.token })}`);
        if (text.startsWith('40')) return (clearTimeout(timer), resolve());
        if (text.startsWith('44')) return (clearTimeout(timer), reject(new Error(`connect_error ${text.slice(2)}`)));
        if (text.startsWith('43')) {
          const m = /^43(\d+)/.exec(text);
          const id = Number(m?.[1]);
          this.acks.get(id)?.(JSON.parse(text.slice(m![0].length))[0]);
          this.acks.delete(id);
          return;
        }
        if (text.startsWith('42["error"') || text.includes('_failed"')) stats.errors++;
      });
    });
  }

  request(event: string, payload: unknown): Promise<{ success: boolean; error?: unknown }> {
    const id = this.nextAck++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ack for ${event}`)), 60_000);
      this.acks.set(id, (r) => (clearTimeout(timer), resolve(r as { success: boolean })));
      this.ws!.send(`42${id}${JSON.stringify([event, payload])}`);
    });
  }

  async subscribeAll(): Promise<void> {
    for (const vehicleId of this.spec.subscribe ?? []) {
      const r = await this.request('subscribe:vehicle', vehicleId);
      if (!r.success) throw new Error(`subscribe:vehicle ${vehicleId} refused: ${JSON.stringify(r.error)}`);
    }
  }
}

const stats = { received: 0, errors: 0, sent: 0, maxLagMs: 0 };
const latency = new LogHistogram();
/** vehicleId → newest fix time received (by any client here) and, per client, for the coalescing check. */
const newest = new Map<string, Map<number, number>>();
let clientSeq = 0;

function field(text: string, name: string): string {
  const at = text.indexOf(`"${name}":"`);
  if (at < 0) return '';
  const from = at + name.length + 4;
  return text.slice(from, text.indexOf('"', from));
}

let currentReceiver = 0;
function onPosition(text: string): void {
  stats.received++;
  const due = Date.parse(field(text, 'timestamp'));
  latency.recordMs(now() - due);
  const vehicleId = field(text, 'vehicleId');
  let per = newest.get(vehicleId);
  if (!per) newest.set(vehicleId, (per = new Map()));
  if ((per.get(currentReceiver) ?? 0) < due) per.set(currentReceiver, due);
}

const clients: Client[] = [];
const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
const cpu0 = { usage: process.cpuUsage(), at: now() };

async function connect(cmd: Extract<WorkerCommand, { type: 'connect' }>): Promise<number> {
  let failed = 0;
  for (let i = 0; i < cmd.clients.length; i += cmd.waveSize) {
    await Promise.all(cmd.clients.slice(i, i + cmd.waveSize).map(async (spec) => {
      const c = new Client(spec);
      const index = clientSeq++;
      clients.push(c);
      try {
        await c.connect(cmd.url);
        // Each client's frames are attributed to it for the per-watcher newest-fix check.
        c.ws!.prependListener('message', () => (currentReceiver = index));
        await c.subscribeAll();
      } catch (err) {
        failed++;
        if (failed <= 3) process.stderr.write(`client failed: ${(err as Error).message}\n`);
      }
    }));
  }
  return failed;
}

/** Open-loop: sender k's fix n is due at start + phase_k + n·period (whole milliseconds) and carries that time. */
async function send(cmd: Extract<WorkerCommand, { type: 'send' }>): Promise<void> {
  const { senders, periodMs, startEpochMs, durationMs } = cmd;
  const order = [...senders].sort((a, b) => a.phaseMs - b.phaseMs);
  const endEpoch = startEpochMs + durationMs;
  let round = 0;
  let k = 0;
  const last = new Map<string, number>();
  await new Promise<void>((resolve) => {
    const tick = () => {
      const t = now();
      for (;;) {
        const s = order[k]!;
        const due = startEpochMs + round * periodMs + s.phaseMs;
        if (due >= endEpoch) return resolve();
        if (due > t) break;
        stats.maxLagMs = Math.max(stats.maxLagMs, t - due);
        // 0.5 m per fix, up to 100 m north and back (a plausible drive, continued across steps).
        const n = (fixCount.get(s.vehicleId) ?? 0) + 1;
        fixCount.set(s.vehicleId, n);
        const lat = s.latitude + ((n % 400 < 200 ? n % 400 : 400 - (n % 400)) * 0.5) / 111_320;
        const ws = clients[s.client]!.ws!;
        ws.send(`42["driver_location_update",{"location":{"latitude":${lat.toFixed(7)},"longitude":${s.longitude},"speed":30,"heading":0},"timestamp":"${new Date(due).toISOString()}"}]`);
        last.set(s.vehicleId, due);
        stats.sent++;
        if (++k === order.length) {
          k = 0;
          round++;
        }
      }
      setTimeout(tick, 1);
    };
    tick();
  });
  lastSent = Object.fromEntries(last);
}
let lastSent: Record<string, number> = {};
const fixCount = new Map<string, number>();

function report() {
  const u = process.cpuUsage(cpu0.usage);
  const perVehicle: Record<string, { watchers: number; oldestNewest: number }> = {};
  for (const [v, per] of newest) perVehicle[v] = { watchers: per.size, oldestNewest: Math.min(...per.values()) };
  return {
    ...stats,
    latency: latency.toSparse(),
    loopDelayP99Ms: loop.percentile(99) / 1e6,
    loopDelayMaxMs: loop.max / 1e6,
    cpuS: (u.user + u.system) / 1e6,
    wallS: (now() - cpu0.at) / 1000,
    lastSent,
    perVehicle,
  };
}

process.on('message', (msg: WorkerCommand & { id: number }) => {
  const reply = (data: unknown) => process.send!({ id: msg.id, data });
  switch (msg.type) {
    case 'connect':
      void connect(msg).then((failed) => reply({ failed, clients: clients.length }));
      break;
    case 'send':
      void send(msg).then(() => reply({ sent: stats.sent, maxLagMs: stats.maxLagMs, lastSent }));
      break;
    case 'reset':
      Object.assign(stats, { received: 0, errors: 0, sent: 0, maxLagMs: 0 });
      latency.reset();
      newest.clear();
      lastSent = {};
      loop.reset();
      cpu0.usage = process.cpuUsage();
      cpu0.at = now();
      reply(null);
      break;
    case 'stats':
      reply(report());
      break;
    case 'close':
      for (const c of clients) c.ws?.terminate();
      reply(null);
      setTimeout(() => process.exit(0), 50);
      break;
  }
});
process.on('disconnect', () => process.exit(0));
