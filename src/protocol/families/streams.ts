import { z } from 'zod';
import { defineInbound, defineOutbound, type OutboundEvents } from '../define.ts';

/**
 * Durable streams and recovery (PROTOCOL.md §6). Everything addressed to a
 * user that matters after a reconnect (notifications, trip, booking and
 * payment changes, chat and direct messages, alerts to the parties of a trip,
 * publishes to users) is stored in the user's stream before it is emitted and
 * carries its position as `_seq` (an added payload field; the one array
 * payload, `notifications:batch`, carries it as a second argument
 * `{ _seq }`). A client that remembers the last `_seq` it saw resumes with
 * `auth: { token, lastSeq }` in the handshake or `stream:resume { seq }`
 * later: it first gets every stored event after that position, in order,
 * once, then live traffic. Positions, typing and presence are never stored.
 */
const seq = z.union([z.number().int().nonnegative(), z.string().max(15).regex(/^\d{1,15}$/).transform(Number)]).describe('the last `_seq` the client saw (0 = from the beginning of what is retained)');

export const streamsInbound = {
  /** Replays every stored event after `seq` to this socket, in order, then live traffic; answers how many were replayed and the position reached. */
  'stream:resume': defineInbound({
    schema: z.object({ seq }),
    audience: 'authenticated',
    rate: 'default',
    ack: z.object({ replayed: z.number().int(), headSeq: z.number().int() }),
  }),
} as const;

export const recoveryIncompletePayload = z.object({
  oldestSeq: z.number().int().describe('the oldest position still retained; what came before it is gone (older than STREAM_RETENTION_H): reload state'),
});

export type RecoveryIncompletePayload = z.output<typeof recoveryIncompletePayload>;

export const streamsOutbound = {
  'recovery:incomplete': defineOutbound({
    schema: recoveryIncompletePayload,
    to: 'the socket resuming (handshake `auth.lastSeq` or `stream:resume`) from a position older than what is retained, before what is retained',
  }),
} as const;

export type StreamsOutbound = OutboundEvents<typeof streamsOutbound>;
