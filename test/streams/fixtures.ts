import { io } from 'socket.io-client';
import type { Client } from '../helpers/client.ts';
import type { TestServer } from '../helpers/server.ts';

/** One received durable event: its name and `_seq` (from the payload, or the second argument of an array payload). */
export interface Seen {
  event: string;
  seq: number | undefined;
  payload: unknown;
}

/** Records every event `client` receives, in arrival order. */
export function record(client: Client, into: Seen[] = []): Seen[] {
  client.onAny((event: string, payload: unknown, extra: unknown) => {
    const fromPayload = payload && typeof payload === 'object' && !Array.isArray(payload) ? (payload as { _seq?: number })._seq : undefined;
    const fromExtra = extra && typeof extra === 'object' ? (extra as { _seq?: number })._seq : undefined;
    into.push({ event, seq: fromPayload ?? fromExtra, payload });
  });
  return into;
}

/** The seqs of the durable events seen (transient ones have none). */
export const seqsOf = (seen: readonly Seen[]) => seen.flatMap((s) => (s.seq === undefined ? [] : [s.seq]));

/** POST /api/publish of `x-tick { n }` to one user; resolves once stored and sent. */
export async function publishTo(server: Pick<TestServer, 'api'>, userId: string, n: number): Promise<void> {
  const res = await server.api('/api/publish', { body: { to: { userId }, event: 'x-tick', data: { n } } });
  if (res.status !== 200) throw new Error(`publish answered ${res.status}: ${JSON.stringify(res.body)}`);
}

/** 1..n, for comparing seq lists. */
export const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);

/** A real client whose every event is recorded from the first packet (a replay can follow `authenticated` at once). */
export async function connectRecording(url: string, token: string, lastSeq?: number | string, seen: Seen[] = []): Promise<{ c: Client; seen: Seen[] }> {
  const c: Client = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, autoConnect: false, auth: lastSeq === undefined ? { token } : { token, lastSeq } });
  record(c, seen);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('connect timeout')), 5000);
    c.once('connect_error', (err) => { clearTimeout(timer); c.close(); reject(err); });
    c.once('authenticated', () => { clearTimeout(timer); resolve(); });
    c.connect();
  });
  return { c, seen };
}

/** One POST /api/publish of `x-tick { n }` for each n in `ns`, to one user, in order. */
export async function publishMany(server: Pick<TestServer, 'api'>, userId: string, ns: readonly number[]): Promise<void> {
  const res = await server.api('/api/publish', { body: { messages: ns.map((n) => ({ to: { userId }, event: 'x-tick', data: { n } })) } });
  if (res.status !== 200) throw new Error(`publish answered ${res.status}: ${JSON.stringify(res.body)}`);
}
