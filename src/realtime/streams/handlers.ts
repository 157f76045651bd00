import type { EventHandler } from '../event-router.ts';
import type { DurableDelivery } from './durable-delivery.ts';

/** `stream:resume`: the rest is the cursor's (socket-cursor.ts). Without streams there is nothing stored to replay. */
export function streamsHandlers(durable: DurableDelivery | undefined) {
  const resume: EventHandler<'stream:resume'> = async ({ socket }, { seq }) =>
    durable ? durable.resume(socket, seq) : { replayed: 0, headSeq: 0 };
  return { 'stream:resume': resume } as const;
}
