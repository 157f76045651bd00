/**
 * One load-generator process of the cross-node benchmark (forked by
 * bench/lib/cross-node-fleet.ts). It holds either sender sockets (on node A)
 * or receiver sockets (on node B, or on the same node), so sending and
 * receiving never share an event loop, and several such processes share the
 * load. It is lean on purpose: frames are precomputed around the timestamp,
 * receivers read the timestamp with indexOf instead of JSON.parse, and a
 * sender corks each socket while it writes one tick's frames.
 *
 * Times are CLOCK_MONOTONIC (process.hrtime), which is one clock for every
 * process on the machine, so a receiver can subtract a sender's stamp.
 */
import type { Socket } from 'node:net';
import WebSocket from 'ws';

export type LoadCommand =
  | { type: 'connect'; role: 'send' | 'recv'; url: string; users: { userId: string; token: string }[]; localAddresses: string[] }
  | { type: 'send'; rate: number; durationMs: number; startAtMs: number; procIndex: number; procCount: number; users: string[]; run: string }
  /** Receivers: forget what was recorded and accept only frames of `run` from now on. */
  | { type: 'arm'; run: string }
  | { type: 'count' }
  | { type: 'collect' }
  | { type: 'close' };

export type LoadReply =
  | { type: 'connected'; count: number }
  | { type: 'sent'; sent: number; maxLagMs: number }
  | { type: 'armed' }
  | { type: 'counted'; received: number }
  | { type: 'collected'; received: number; latenciesMs: Float64Array }
  | { type: 'error'; message: string };

/** Milliseconds on the machine-wide monotonic clock. */
export function monoMs(): number {
  const [s, ns] = process.hrtime();
  return s * 1000 + ns / 1e6;
}

/** The frame a sender writes, with `%STAMP%` where the intended send time goes. */
export function frameTemplate(userId: string, run: string): [string, string] {
  const frame = `42${JSON.stringify(['profile_updated', { userId, changes: [run, '%STAMP%'] }])}`;
  const at = frame.indexOf('%STAMP%');
  return [frame.slice(0, at), frame.slice(at + '%STAMP%'.length)];
}

const sockets = new Map<string, WebSocket>();
let run = '';
let received = 0;
let latencies = new Float64Array(1 << 16);

function record(ms: number): void {
  if (received === latencies.length) {
    const grown = new Float64Array(latencies.length * 2);
    grown.set(latencies);
    latencies = grown;
  }
  latencies[received++] = ms;
}

/** Connects one Socket.IO (EIO 4) client over a raw WebSocket; resolves on the namespace `40`. */
function connectOne(url: string, token: string, localAddress: string | undefined, role: 'send' | 'recv'): Promise<WebSocket> {
  const ws = new WebSocket(url.replace(/^http/, 'ws') + '/socket.io/?EIO=4&transport=websocket', {
    perMessageDeflate: false,
    skipUTF8Validation: true,
    ...(localAddress ? { localAddress } : {}),
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('connect timeout')), 15_000);
    ws.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    ws.on('message', (data: Buffer) => {
      const c0 = data[0];
      if (c0 === 0x32 /* '2' ping */ && data.length === 1) return ws.send('3');
      if (c0 === 0x30 /* '0' open */) return ws.send(`40${JSON.stringify({ token })}`);
      if (c0 !== 0x34 /* '4' message */) return;
      const c1 = data[1];
      if (c1 === 0x32 /* 42 event */) {
        if (role !== 'recv') return;
        // 42["profile_updated",{"userId":"…","changes":["<run>","<stamp>"],"timestamp":"…"}]
        const text = data.toString('latin1');
        const at = text.indexOf('"changes":["');
        if (at < 0) return;
        const runEnd = text.indexOf('"', at + 12);
        if (text.slice(at + 12, runEnd) !== run) return; // a late frame of an earlier step
        const stampEnd = text.indexOf('"', runEnd + 3);
        record(monoMs() - Number(text.slice(runEnd + 3, stampEnd)));
        return;
      }
      if (c1 === 0x30 /* 40 connected */) {
        clearTimeout(timer);
        return resolve(ws);
      }
      if (c1 === 0x34 /* 44 connect_error */) {
        clearTimeout(timer);
        reject(new Error(`connect_error ${data.toString().slice(2)}`));
      }
    });
  });
}

/** The TCP socket under a ws client (ws has no cork of its own). */
function rawSocket(ws: WebSocket): Socket {
  return (ws as unknown as { _socket: Socket })._socket;
}

/** Open loop over this process's share: global message j (j ≡ procIndex mod procCount) is due at start + j/rate. */
async function sendShare(cmd: Extract<LoadCommand, { type: 'send' }>): Promise<{ sent: number; maxLagMs: number }> {
  const frames = cmd.users.map((u) => ({ ws: sockets.get(u)!, parts: frameTemplate(u, cmd.run) }));
  const total = Math.floor((cmd.rate * cmd.durationMs) / 1000);
  const stepMs = 1000 / cmd.rate;
  let j = cmd.procIndex;
  let sent = 0;
  let maxLagMs = 0;
  while (monoMs() < cmd.startAtMs) await new Promise((r) => setTimeout(r, 1));
  const touched = new Set<WebSocket>();
  while (j < total) {
    const now = monoMs();
    const due = Math.min(total, Math.floor((now - cmd.startAtMs) / stepMs) + 1);
    if (j < due) maxLagMs = Math.max(maxLagMs, now - (cmd.startAtMs + j * stepMs));
    for (; j < due; j += cmd.procCount) {
      // Users are dealt round-robin: message j goes to user j mod U, and this process owns users ≡ procIndex.
      const f = frames[Math.floor(j / cmd.procCount) % frames.length]!;
      const raw = rawSocket(f.ws);
      if (!touched.has(f.ws)) {
        raw.cork();
        touched.add(f.ws);
      }
      f.ws.send(f.parts[0] + (cmd.startAtMs + j * stepMs).toFixed(3) + f.parts[1]);
      sent++;
    }
    for (const ws of touched) rawSocket(ws).uncork();
    touched.clear();
    // A timer, not setImmediate: a spinning generator would take the CPU the nodes need (2 cores shared).
    await new Promise((r) => setTimeout(r, 1));
  }
  return { sent, maxLagMs };
}

function reply(msg: LoadReply): void {
  process.send!(msg);
}

process.on('message', (cmd: LoadCommand) => {
  const handle = async () => {
    switch (cmd.type) {
      case 'connect': {
        // Connect in small batches: a burst of handshakes would trip nothing, but slows the nodes' start.
        for (let i = 0; i < cmd.users.length; i += 20) {
          const batch = cmd.users.slice(i, i + 20);
          const conns = await Promise.all(batch.map((u, k) => connectOne(cmd.url, u.token, cmd.localAddresses[(i + k) % cmd.localAddresses.length], cmd.role)));
          batch.forEach((u, k) => sockets.set(u.userId, conns[k]!));
        }
        return reply({ type: 'connected', count: sockets.size });
      }
      case 'send':
        return reply({ type: 'sent', ...(await sendShare(cmd)) });
      case 'arm':
        run = cmd.run;
        received = 0;
        return reply({ type: 'armed' });
      case 'count':
        return reply({ type: 'counted', received });
      case 'collect':
        return reply({ type: 'collected', received, latenciesMs: latencies.slice(0, received) });
      case 'close':
        for (const ws of sockets.values()) ws.terminate();
        sockets.clear();
        return process.disconnect();
    }
  };
  handle().catch((err: unknown) => reply({ type: 'error', message: err instanceof Error ? err.message : String(err) }));
});
process.on('disconnect', () => process.exit(0));
