import { signWebhook } from '../../src/modules/publish/index.ts';
import type { TestServer } from '../helpers/server.ts';

export const TICKETS_SECRET = 'tickets-webhook-secret-0123456789';

/** POSTs a webhook body signed at `t` (unix seconds; now by default) with `secret`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
export async function sendWebhook(server: TestServer, source: string, body: unknown, opts: { secret?: string; t?: number; signature?: string } = {}): Promise<{ status: number; body: any }> {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const t = opts.t ?? Math.floor(Date.now() / 1000);
  const signature = opts.signature ?? signWebhook(opts.secret ?? TICKETS_SECRET, raw, t);
  return server.api(`/webhooks/${source}`, { body: raw, token: null, headers: { 'livegate-signature': signature } });
}

/** POST /api/publish with the test admin token (or `token`). */
export const publish = (server: TestServer, body: unknown, headers: Record<string, string> = {}, token?: string) => server.api('/api/publish', { body, headers, ...(token ? { token } : {}) });
