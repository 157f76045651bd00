/**
 * A forked load generator for the plain transports: holds `/ws` WebSocket or
 * `/events` SSE connections (one per { token, address }), each counted once
 * the gateway said `authenticated`; `send` has the `/ws` ones report
 * location fixes. Driven over IPC by ws-idle.ts and ws-intake.ts.
 */
import http from 'node:http';
import WebSocket from 'ws';

interface Spec { token: string; address: string }
type Command =
  | { type: 'connect'; mode: 'ws' | 'sse'; url: string; clients: Spec[]; waveSize: number }
  | { type: 'send'; durationMs: number }
  | { type: 'close' };

const sockets: WebSocket[] = [];
const requests: http.ClientRequest[] = [];

function openWs(url: string, spec: Spec): Promise<boolean> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/ws?token=${spec.token}`, { localAddress: spec.address, perMessageDeflate: false });
    ws.on('message', (data) => {
      const text = data.toString();
      if (text.startsWith('{"type":"authenticated"')) resolve(true);
    });
    ws.on('error', () => resolve(false));
    ws.on('close', () => resolve(false));
    sockets.push(ws);
  });
}

function openSse(url: string, spec: Spec): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(`${url}/events?token=${spec.token}`, { localAddress: spec.address, agent: false }, (res) => {
      res.on('data', (chunk: Buffer) => {
        if (chunk.includes('event: authenticated')) resolve(true);
      });
      res.on('end', () => resolve(false));
    });
    req.on('error', () => resolve(false));
    requests.push(req);
  });
}

async function connect(cmd: Extract<Command, { type: 'connect' }>): Promise<{ failed: number }> {
  let failed = 0;
  for (let i = 0; i < cmd.clients.length; i += cmd.waveSize) {
    const wave = cmd.clients.slice(i, i + cmd.waveSize);
    const results = await Promise.all(wave.map((s) => (cmd.mode === 'ws' ? openWs(cmd.url, s) : openSse(cmd.url, s))));
    failed += results.filter((ok) => !ok).length;
  }
  return { failed };
}

/**
 * Every socket sends one fix per second, spread evenly over 20 ticks of 50 ms,
 * without an id (as the Socket.IO senders send without an ack), for `durationMs`.
 */
async function send(cmd: Extract<Command, { type: 'send' }>): Promise<{ sent: number }> {
  let sent = 0;
  const started = Date.now();
  const fixes = new Map<number, number>();
  for (let tick = 0; Date.now() - started < cmd.durationMs; tick++) {
    const due = started + tick * 50;
    await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
    for (let k = tick % 20; k < sockets.length; k += 20) {
      const ws = sockets[k]!;
      if (ws.readyState !== WebSocket.OPEN) continue;
      // 0.5 m per fix, north and back (a plausible drive), as bench/lib/client-worker.ts.
      const n = (fixes.get(k) ?? 0) + 1;
      fixes.set(k, n);
      const lat = 15.5 + k * 0.001 + ((n % 400 < 200 ? n % 400 : 400 - (n % 400)) * 0.5) / 111_320;
      ws.send(`{"type":"driver_location_update","data":{"location":{"latitude":${lat.toFixed(7)},"longitude":32.55,"speed":30,"heading":0},"timestamp":"${new Date().toISOString()}"}}`);
      sent++;
    }
  }
  return { sent };
}

process.on('message', (msg: Command & { id: number }) => {
  const reply = (data: unknown) => process.send!({ id: msg.id, data });
  if (msg.type === 'connect') void connect(msg).then(reply);
  else if (msg.type === 'send') void send(msg).then(reply);
  else {
    for (const ws of sockets) ws.terminate();
    for (const r of requests) r.destroy();
    reply({});
    setTimeout(() => process.exit(0), 50);
  }
});
