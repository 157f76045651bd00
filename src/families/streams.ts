import { StreamsService } from '../modules/streams/index.ts';
import { DurableDelivery } from '../realtime/streams/durable-delivery.ts';
import { streamsHandlers } from '../realtime/streams/handlers.ts';
import type { FamilyContext } from './context.ts';

/** Entries past the retention are deleted this often (batched, index range scans). */
const PURGE_INTERVAL_MS = 60_000;

/**
 * Durable per-user streams and recovery: `ctx.delivery.durable(…)` stores
 * before it emits, sockets resume with `auth.lastSeq` or `stream:resume`.
 * STREAM_RETENTION_H=0 leaves every emit transient.
 */
export function attachStreams(ctx: FamilyContext): StreamsService | undefined {
  if (ctx.config.streams.retentionMs === 0) {
    ctx.handle(streamsHandlers(undefined));
    return undefined;
  }
  const streams = new StreamsService(ctx.db, ctx.clock, ctx.config.streams);
  const durable = new DurableDelivery({ io: ctx.io, store: streams, crossNode: ctx.crossNode, once: ctx.delivery.once, metrics: ctx.metrics, log: ctx.log });
  ctx.delivery.useDurable(durable);
  ctx.onAuthenticated(durable.onAuthenticated);
  ctx.handle(streamsHandlers(durable));
  let purge: NodeJS.Timeout | undefined;
  ctx.lifecycle.add({
    name: 'stream-purge',
    start: () => {
      const run = () => void streams.purge().catch((err: unknown) => ctx.log.warn({ err }, 'stream purge failed'));
      purge = setInterval(run, PURGE_INTERVAL_MS).unref();
    },
    stop: async () => {
      clearInterval(purge);
      await streams.idle();
    },
  });
  return streams;
}
