/**
 * What the three baseline servers share: port and secret from the
 * environment, HS256 verification with jose (the same library and secret as
 * Livegate), the driver → vehicle assignments the bench registers with
 * `POST /api/vehicles { id, driverId }` (the same call it makes on Livegate),
 * and the `vehicle:location` payload Livegate emits.
 */
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { Server } from 'socket.io';
import { jwtVerify } from 'jose';

export const PORT = Number(process.env.PORT ?? process.argv[2] ?? 0);
const SECRET = new TextEncoder().encode(process.env.JWT_SECRET ?? 'bench-secret-0123456789-0123456789-abcdef');

export interface Identity { userId: string; role: string }

/** The token's subject and role, or null when it does not verify (HS256 only, `exp` required). */
export async function verifyToken(token: unknown): Promise<Identity | null> {
  if (typeof token !== 'string' || !token) return null;
  try {
    const { payload } = await jwtVerify(token, SECRET, { algorithms: ['HS256'], requiredClaims: ['exp', 'sub'] });
    return { userId: payload.sub!, role: String(payload.role ?? '') };
  } catch {
    return null;
  }
}

/** driverId → vehicleId, filled by `POST /api/vehicles`. */
export const vehicleOfDriver = new Map<string, string>();

/** Answers `POST /api/vehicles` (assignments) and `GET /healthz`; anything else 404. */
export function handleHttp(req: IncomingMessage, res: ServerResponse): void {
  if (req.url?.startsWith('/socket.io')) return; // Socket.IO's own handler answers these
  if (req.method === 'GET' && req.url === '/healthz') return void res.end('ok');
  if (req.method === 'POST' && req.url === '/api/vehicles') {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const v = JSON.parse(body) as { id: string; driverId?: string };
      if (v.driverId) vehicleOfDriver.set(v.driverId, v.id);
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: v.id, driverId: v.driverId ?? null }));
    });
    return;
  }
  res.writeHead(404).end();
}

export interface Fix { location?: { latitude?: number; longitude?: number; speed?: number; heading?: number }; timestamp?: string }

/** The `vehicle:location` payload Livegate emits for a driver's fix (`{ lat, lng }`, ISO timestamp). */
export function vehicleLocation(vehicleId: string, fix: Fix) {
  const l = fix.location ?? {};
  return {
    vehicleId,
    location: { lat: Number(l.latitude), lng: Number(l.longitude), speed: l.speed ?? null, heading: l.heading ?? null, timestamp: fix.timestamp ?? new Date().toISOString() },
  };
}

export function announceReady(port: number): void {
  process.stdout.write(`ready ${port}\n`);
  process.once('SIGTERM', () => process.exit(0));
}

/**
 * Plain Socket.IO on `handleHttp`, with the JWT checked in a middleware the
 * way its documentation shows: the start of every bare baseline server.
 */
export function createBareIo(): { http: HttpServer; io: Server } {
  const http = createServer(handleHttp);
  const io = new Server(http, { path: '/socket.io', transports: ['polling', 'websocket'], serveClient: false });
  io.use((socket, next) => {
    verifyToken((socket.handshake.auth as { token?: unknown }).token).then((id) => {
      if (!id) return next(new Error('Invalid or expired token'));
      socket.data = id;
      next();
    }, next);
  });
  return { http, io };
}
