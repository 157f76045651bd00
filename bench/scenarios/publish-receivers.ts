/**
 * A receiver process of the publish scenario (forked by publish.ts): raw
 * WebSocket Socket.IO clients, connected anonymously from 127.0.0.x,
 * each joining one event room with an ack, then counting `ticket-purchased`
 * frames and the time from the payload's `timestamp` (set by the publisher
 * when it sent the request) to arrival. No JSON parsing of those frames.
 */
import WebSocket from 'ws';
import { LogHistogram } from '../lib/log-histogram.ts';
import { wallNow } from '../lib/wall-clock.ts';

const FRAME = '42["ticket-purchased"';
const now = wallNow;
const latency = new LogHistogram();
let received = 0;
const sockets: WebSocket[] = [];

function open(url: string, address: string, eventId: string): Promise<void> {
  const ws = new WebSocket(url.replace(/^http/, 'ws') + '/socket.io/?EIO=4&transport=websocket', { perMessageDeflate: false, localAddress: address });
  sockets.push(ws);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('connect timeout')), 60_000);
    ws.on('error', (err) => (clearTimeout(timer), reject(err)));
    ws.on('message', (data: Buffer) => {
      const text = data.toString();
      if (text.startsWith(FRAME)) {
        received++;
        const i = text.indexOf('"timestamp":');
        if (i > 0) latency.recordMs(now() - Number.parseInt(text.slice(i + 12), 10));
        return;
      }
      if (text[0] === '2') return ws.send('3');
      if (text[0] === '0') return ws.send('40');
      if (text.startsWith('40')) return ws.send(`420${JSON.stringify(['join-event', eventId])}`);
      if (text.startsWith('430')) return (clearTimeout(timer), resolve());
      if (text.startsWith('44')) return (clearTimeout(timer), reject(new Error(`connect_error ${text.slice(2)}`)));
    });
  });
}

process.on('message', async (m: { id: number; type: string; url?: string; addresses?: string[]; eventId?: string }) => {
  const reply = (data: unknown) => process.send!({ id: m.id, data });
  if (m.type === 'connect') {
    let failed = 0;
    const list = m.addresses!;
    for (let i = 0; i < list.length; i += 200) {
      const wave = await Promise.allSettled(list.slice(i, i + 200).map((a) => open(m.url!, a, m.eventId!)));
      failed += wave.filter((r) => r.status === 'rejected').length;
    }
    return reply({ failed });
  }
  if (m.type === 'reset') {
    received = 0;
    latency.reset();
    return reply(null);
  }
  if (m.type === 'stats') return reply({ received, latency: latency.toSparse() });
  if (m.type === 'close') {
    for (const ws of sockets) ws.terminate();
    reply(null);
    setTimeout(() => process.exit(0), 50);
  }
});
