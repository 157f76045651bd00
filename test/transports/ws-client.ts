import WebSocket from 'ws';

/** A frame the gateway sent on `/ws`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
export type Frame = { type: string; data?: any; id?: string | number; seq?: number | string; success?: boolean; error?: { code: string; message: string } };

export interface WsClient {
  ws: WebSocket;
  frames: Frame[];
  /** Resolves with the close code and reason. */
  closed: Promise<{ code: number; reason: string }>;
  send(frame: unknown): void;
  /** The next frame of `type` not yet taken (also one that already arrived). */
  next(type: string, timeoutMs?: number): Promise<Frame>;
  /** Sends `{ type, data, id }` and resolves with its `ack` frame. */
  request(type: string, data?: unknown, timeoutMs?: number): Promise<Frame>;
  close(): void;
}

let ids = 0;

/** A real `ws` client on `${url}/ws${query}`; resolves once the upgrade completed. */
export function openWs(httpUrl: string, opts: { query?: string; headers?: Record<string, string>; autoPong?: boolean } = {}): Promise<WsClient> {
  const ws = new WebSocket(`${httpUrl.replace(/^http/, 'ws')}/ws${opts.query ?? ''}`, { headers: opts.headers, autoPong: opts.autoPong ?? true });
  const frames: Frame[] = [];
  const taken = new Set<Frame>();
  const waiters: Array<() => void> = [];
  ws.on('message', (data) => {
    frames.push(JSON.parse(data.toString()) as Frame);
    for (const w of waiters.splice(0)) w();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  ws.on('error', () => undefined);
  const find = (match: (f: Frame) => boolean, what: string, timeoutMs: number) => new Promise<Frame>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${what} within ${timeoutMs} ms; got ${JSON.stringify(frames).slice(0, 500)}`)), timeoutMs);
    const look = () => {
      const f = frames.find((x) => !taken.has(x) && match(x));
      if (!f) return void waiters.push(look);
      taken.add(f);
      clearTimeout(timer);
      resolve(f);
    };
    look();
  });
  const client: WsClient = {
    ws, frames, closed,
    send: (frame) => ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
    next: (type, timeoutMs = 3000) => find((f) => f.type === type, `${type} frame`, timeoutMs),
    request(type, data, timeoutMs = 3000) {
      const id = `r${++ids}`;
      client.send({ type, data, id });
      return find((f) => f.type === 'ack' && f.id === id, `ack ${id} (${type})`, timeoutMs);
    },
    close: () => ws.close(),
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade answered ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

/** Opens `/ws` with the token in the query and waits for `authenticated`. */
export async function wsAs(httpUrl: string, token: string): Promise<WsClient> {
  const c = await openWs(httpUrl, { query: `?token=${encodeURIComponent(token)}` });
  await c.next('authenticated');
  return c;
}
