import { createShardedAdapter } from '@socket.io/redis-adapter';
import { createAdapter as createStreamsAdapter } from '@socket.io/redis-streams-adapter';
import type { Logger } from '../core/logger.ts';
import { createRedisClient } from '../state/redis/redis-client.ts';
import type { LivegateServer } from './types.ts';

type AdapterFactory = RedisAdapterHandle['adapter'];

const ADAPTER_MAX_PENDING = 100_000;

export type AdapterKind = 'pubsub' | 'streams';

export interface RedisAdapterHandle {
  /** Pass to `io.adapter()`. */
  adapter: NonNullable<Parameters<LivegateServer['adapter']>[0]>;
  isReady(): boolean;
  close(): Promise<void>;
}

/**
 * The Socket.IO adapter across nodes (see docs/scaling.md for the choice):
 * - `pubsub`: the official Redis adapter on sharded Pub/Sub (Redis 7), in
 *   "static" subscription mode: two channels per namespace, subscribed once at
 *   start, so rooms created while Redis is away need no re-subscription.
 * - `streams`: the official Redis Streams adapter: every node reads one
 *   stream, resuming from its last offset after an outage.
 */
export async function createRedisAdapter(url: string, kind: AdapterKind, log: Logger, onPublishFailed: () => void = () => undefined): Promise<RedisAdapterHandle> {
  // Offline queue off (see createRedisClient): while Redis is down a publish
  // fails at once, so the cluster adapter — which awaits the publish before
  // delivering locally — keeps serving local sockets and nothing piles up.
  // Its queue bound is 10× the default: a publish refused at the bound is an
  // emit lost for the other nodes, and creating that refusal's Error costs
  // more CPU than the publish (7 % of a saturated node A in the cross-node
  // bench), so a short stall (GC, a busy CPU) must not reach it. 100,000
  // publishes are seconds of traffic and tens of MB at most.
  const pub = await createRedisClient(url, log, { name: 'livegate-adapter-pub', maxPendingCommands: ADAPTER_MAX_PENDING });
  countFailures(pub, kind === 'streams' ? 'xAdd' : 'sPublish', onPublishFailed);
  if (kind === 'streams') {
    return {
      adapter: createStreamsAdapter(pub, { maxLen: 100_000, readCount: 500, blockTimeInMs: 2000, onlyPlaintext: true }) as unknown as AdapterFactory,
      isReady: () => pub.isReady,
      close: async () => void (await pub.close().catch(() => undefined)),
    };
  }
  const sub = await createRedisClient(url, log, { name: 'livegate-adapter-sub' });
  return {
    adapter: createShardedAdapter(pub, sub, { subscriptionMode: 'static' }) as unknown as AdapterFactory,
    isReady: () => pub.isReady && sub.isReady,
    close: async () => {
      await Promise.all([pub.close().catch(() => undefined), sub.close().catch(() => undefined)]);
    },
  };
}

/**
 * The adapters swallow a failed publish (logged at debug level only), so an
 * emit lost to other nodes — Redis down, or node-redis refusing commands past
 * its queue limit under overload — would leave no trace. This wraps the one
 * command each adapter publishes with, on our own client instance, to count
 * them (`livegate_adapter_publish_failures_total`).
 */
function countFailures(client: object, method: 'sPublish' | 'xAdd', onFailed: () => void): void {
  const target = client as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const original = target[method];
  if (typeof original !== 'function') return;
  target[method] = (...args: unknown[]) => original.apply(client, args).catch((err: unknown) => {
    onFailed();
    throw err;
  });
}
