/**
 * Baseline (c): the physical floor on this machine. A bare `ws` server that
 * speaks just enough Engine.IO 4 / Socket.IO 4 on `/socket.io/` for the
 * bench's clients (open packet, namespace connect with `auth.token`, events
 * with acks, engine pong) and delivers each position as one text frame built
 * once (`42["vehicle:location",{…}]`, encoded to a Buffer once) and sent to
 * every subscriber socket. No rooms library, no per-recipient encoding.
 *   PORT=4000 JWT_SECRET=… node --import tsx bench/baselines/raw-ws.ts
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { announceReady, handleHttp, PORT, vehicleLocation, vehicleOfDriver, verifyToken, type Fix, type Identity } from './common.ts';

const http = createServer(handleHttp);
const wss = new WebSocketServer({ server: http, path: '/socket.io/', perMessageDeflate: false, maxPayload: 1_000_000 });
const subscribers = new Map<string, Set<WebSocket>>();
/** Per socket, the subscriber sets it is in (left on close). */
const subscribedTo = new WeakMap<WebSocket, Set<Set<WebSocket>>>();

const send = (ws: WebSocket, event: string, payload: unknown) => ws.send(`42${JSON.stringify([event, payload])}`);

function onEvent(ws: WebSocket, id: Identity, event: string, payload: unknown, ack: (r: unknown) => void): void {
  if (event === 'subscribe:vehicle' && id.role === 'admin') {
    const vehicleId = String(payload);
    const set = subscribers.get(vehicleId) ?? new Set();
    set.add(ws);
    subscribers.set(vehicleId, set);
    subscribedTo.get(ws)?.add(set);
    return ack({ success: true, data: { vehicleId } });
  }
  if (event === 'driver_location_update') {
    const vehicleId = vehicleOfDriver.get(id.userId);
    const set = vehicleId ? subscribers.get(vehicleId) : undefined;
    if (vehicleId && set) {
      const frame = Buffer.from(`42${JSON.stringify(['vehicle:location', vehicleLocation(vehicleId, payload as Fix)])}`);
      for (const sub of set) sub.send(frame, { binary: false });
    }
    return ack({ success: true });
  }
  if (event === 'ping') return send(ws, 'pong', undefined);
  ack({ success: false, error: { code: 'NOT_FOUND' } });
}

wss.on('connection', (ws) => {
  const sid = randomBytes(15).toString('base64url');
  let identity: Identity | null = null;
  subscribedTo.set(ws, new Set());
  ws.once('close', () => {
    for (const set of subscribedTo.get(ws) ?? []) set.delete(ws);
  });
  ws.send(`0${JSON.stringify({ sid, upgrades: [], pingInterval: 25_000, pingTimeout: 20_000, maxPayload: 1_000_000 })}`);
  ws.on('message', (data) => {
    const text = data.toString();
    if (text === '3') return; // engine pong
    if (text.startsWith('40')) {
      const auth = text.length > 2 ? (JSON.parse(text.slice(2)) as { token?: unknown }) : {};
      void verifyToken(auth.token).then((id) => {
        if (!id) return void ws.send('44{"message":"Invalid or expired token"}');
        identity = id;
        ws.send(`40${JSON.stringify({ sid })}`);
        send(ws, 'authenticated', { userId: id.userId, role: id.role, connectionId: sid });
      });
      return;
    }
    if (text.startsWith('42') && identity) {
      let i = 2;
      while (i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
      const ackId = i > 2 ? text.slice(2, i) : null;
      const [event, payload] = JSON.parse(text.slice(i)) as [string, unknown];
      onEvent(ws, identity, event, payload, (r) => ackId !== null && ws.send(`43${ackId}${JSON.stringify([r])}`));
    }
  });
});

http.listen(PORT, '127.0.0.1', () => announceReady((http.address() as { port: number }).port));
