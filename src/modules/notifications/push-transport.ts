import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** Sends one POST and resolves with the status; rejects on network errors and timeouts (`err.name === 'TimeoutError'`). */
export type PushPost = (body: string, headers: Record<string, string>) => Promise<number>;

/**
 * POSTs to one URL over kept-alive connections (at most `concurrency`).
 * node:http rather than fetch: on a loaded machine fetch costs several times
 * the CPU per call, and the relay may get thousands of calls per bulk send.
 */
export function createPushPost(url: string, opts: { timeoutMs: number; concurrency: number }): { post: PushPost; close(): void } {
  const target = new URL(url);
  const secure = target.protocol === 'https:';
  const agent = secure ? new HttpsAgent({ keepAlive: true, maxSockets: opts.concurrency }) : new HttpAgent({ keepAlive: true, maxSockets: opts.concurrency });
  const send = secure ? httpsRequest : httpRequest;
  const post: PushPost = (body, headers) =>
    new Promise((resolve, reject) => {
      const req = send(target, { method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, timeout: opts.timeoutMs }, (res) => {
        res.resume(); // the answer's body is not used; drain it so the connection is reused
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      });
      req.on('timeout', () => {
        const err = new Error(`timeout after ${opts.timeoutMs} ms`);
        err.name = 'TimeoutError';
        req.destroy(err);
      });
      req.on('error', reject);
      req.end(body);
    });
  return { post, close: () => agent.destroy() };
}
