import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RelayCall {
  headers: IncomingHttpHeaders;
  raw: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
  body: any;
}

/**
 * A push relay on 127.0.0.1 port 0 (node:http): records every call and
 * answers with the status `respond` gives (a promise holds the answer back).
 */
export async function startRelay(respond: (call: RelayCall, index: number) => number | Promise<number> = () => 200) {
  const calls: RelayCall[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const call = { headers: req.headers, raw, body: JSON.parse(raw) };
      calls.push(call);
      void Promise.resolve(respond(call, calls.length - 1)).then((status) => res.writeHead(status).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/push`,
    calls,
    /** Calls for one notification and user. */
    callsFor: (notificationId: string, userId: string) => calls.filter((c) => c.headers['idempotency-key'] === `${notificationId}:${userId}`),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
