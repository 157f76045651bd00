/**
 * Receivers of the chat benchmark, in a child process (IPC): raw Engine.IO v4
 * WebSocket clients (cheaper than socket.io-client, so the generator is not
 * the bottleneck) that authenticate, `room:join` with an ack, then count
 * `message:new` frames and take the latency from the send time the sender
 * put in the content (`t<epoch ms>`).
 */
import WebSocket from 'ws';

const { url, tokens, roomId } = JSON.parse(process.env.CHAT_RECEIVERS!) as { url: string; tokens: string[]; roomId: string };
const latencies: number[] = [];
let received = 0;

function open(token: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`);
    const timer = setTimeout(() => reject(new Error('join timeout')), 20_000);
    ws.on('message', (raw) => {
      const s = raw.toString();
      if (s === '2') return ws.send('3');
      if (s.startsWith('0')) return ws.send(`40${JSON.stringify({ token })}`);
      if (s.startsWith('42["authenticated"')) return ws.send(`421${JSON.stringify(['room:join', { roomId }])}`);
      if (s.startsWith('431')) {
        clearTimeout(timer);
        if (!s.includes('"success":true')) return reject(new Error(`join refused: ${s.slice(0, 200)}`));
        return resolve();
      }
      if (s.startsWith('42["message:new"')) {
        received++;
        const m = /"content":"t(\d+)/.exec(s);
        if (m) latencies.push(Date.now() - Number(m[1]));
      }
    });
    ws.on('error', reject);
  });
}

for (let i = 0; i < tokens.length; i += 50) await Promise.all(tokens.slice(i, i + 50).map(open));
process.send!({ type: 'ready' });
process.on('message', (msg: string) => {
  if (msg === 'stats') process.send!({ type: 'stats', received, latencies: latencies.splice(0) });
  if (msg === 'reset') {
    received = 0;
    latencies.length = 0;
  }
});
