import { z } from 'zod';
import { defineInbound, defineOutbound, type OutboundEvents } from '../define.ts';
import { id, json, text } from '../schemas.ts';

/**
 * Family H of PROTOCOL.md: live events (seed 004, a ticketing app). Any
 * socket — anonymous ones too with ALLOW_ANONYMOUS=true — joins an event's
 * room with `join-event`; backends publish into it through `POST /api/publish`
 * or a signed webhook. Times are epoch milliseconds in this family, as seed
 * 004 writes them. Its user `notification` and global `system-announcement`
 * are family D's events of the same names.
 */
const epochMs = z.number().int().nonnegative().describe('epoch milliseconds');

/** Seed 004 sends the event id as a bare string; `{ eventId }` is accepted too. */
const eventIdInput = z.union([id, z.object({ eventId: id }).transform((o) => o.eventId)]);

export const liveEventsInbound = {
  /** Joins `event:{eventId}`; answers `room-joined` with the event id (seed 004) and the ack. Open to anonymous sockets. */
  'join-event': defineInbound({ schema: eventIdInput, audience: 'anyone', rate: 'default', ack: z.object({ eventId: z.string() }) }),
  /** Leaves `event:{eventId}`; `left` is false when the socket was not in it. */
  'leave-event': defineInbound({ schema: eventIdInput, audience: 'anyone', rate: 'default', ack: z.object({ eventId: z.string(), left: z.boolean() }) }),
} as const;

// --- Server→client payloads (seed 004's WebSocketBroadcaster) ---

export const ticketPurchasedPayload = z.object({ ticketId: z.string().min(1), buyer: z.string().min(1), eventId: z.string().min(1), timestamp: epochMs });
export const ticketTransferredPayload = z.object({ ticketId: z.string().min(1), from: z.string().min(1), to: z.string().min(1), eventId: z.string().min(1), timestamp: epochMs });
export const eventUpdatedPayload = z.object({ eventId: z.string().min(1), updates: z.record(z.string(), z.unknown()), timestamp: epochMs });
export const balanceUpdatedPayload = z.object({
  userId: z.string().min(1),
  balance: z.union([z.number(), z.string().max(64)]).describe('as the backend reports it (a number, or a decimal string for token amounts)'),
  token: z.string().max(64).describe('the currency or token symbol'),
  timestamp: epochMs,
});
/** Seed 004 spreads the market data into the payload; only `timestamp` is fixed. */
export const marketUpdatePayload = z.object({ timestamp: epochMs }).catchall(z.unknown());

export type TicketPurchasedPayload = z.output<typeof ticketPurchasedPayload>;
export type TicketTransferredPayload = z.output<typeof ticketTransferredPayload>;
export type EventUpdatedPayload = z.output<typeof eventUpdatedPayload>;
export type BalanceUpdatedPayload = z.output<typeof balanceUpdatedPayload>;
export type MarketUpdatePayload = z.output<typeof marketUpdatePayload>;

export const liveEventsOutbound = {
  'room-joined': defineOutbound({ schema: z.string().describe('the event id'), to: 'the socket that sent `join-event`' }),
  'ticket-purchased': defineOutbound({ schema: ticketPurchasedPayload, to: '`event:{eventId}` (published by a backend)' }),
  'ticket-transferred': defineOutbound({ schema: ticketTransferredPayload, to: '`event:{eventId}` (published by a backend)' }),
  'event-updated': defineOutbound({ schema: eventUpdatedPayload, to: '`event:{eventId}` (published by a backend)' }),
  'balance-updated': defineOutbound({ schema: balanceUpdatedPayload, to: '`user:{userId}` (published by a backend)' }),
  'market-update': defineOutbound({ schema: marketUpdatePayload, to: 'every socket (published by a backend)' }),
} as const;

export type LiveEventsOutbound = OutboundEvents<typeof liveEventsOutbound>;

/** Events whose `timestamp` the gateway fills in (epoch ms) when a publisher leaves it out, as seed 004's broadcaster does. */
export const STAMPED_EVENTS: ReadonlySet<string> = new Set(['ticket-purchased', 'ticket-transferred', 'event-updated', 'balance-updated', 'market-update', 'system-announcement']);

// --- HTTP: POST /api/publish ---

/** Most messages in one `{ messages: [...] }` publish. */
export const PUBLISH_MAX_MESSAGES = 1000;
/** Most users one message may address. */
export const PUBLISH_MAX_USER_IDS = 1000;
/** Largest `data` of one message, as JSON. */
export const PUBLISH_MAX_DATA_BYTES = 64 * 1024;

/**
 * Room names a publish may address directly: the documented rooms of the
 * protocol's room table (never a socket id or an internal room).
 */
export const PUBLISHABLE_ROOM = /^(drivers|admins|fleet|(user|trip|driver_location|vehicle|booking|chat|event):[^\s]{1,128})$/;
/** Events outside the catalogue: `x-` then letters, digits and `._:-`. */
export const CUSTOM_EVENT = /^x-[A-Za-z0-9._:-]{1,98}$/;

export const publishTarget = z.union([
  z.object({ userId: id }).strict(),
  z.object({ userIds: z.array(id).min(1).max(PUBLISH_MAX_USER_IDS) }).strict(),
  z.object({ eventId: id }).strict(),
  z.object({ room: text().regex(PUBLISHABLE_ROOM, 'expected a room of the room table, such as event:{id} or booking:{id}') }).strict(),
  z.object({ all: z.literal(true) }).strict(),
]).describe('exactly one of `{ userId }`, `{ userIds }`, `{ eventId }`, `{ room }`, `{ all: true }`');
export type PublishTarget = z.output<typeof publishTarget>;

export const publishMessage = z.object({
  to: publishTarget,
  event: text().min(1).max(100).describe('a catalogue event (its payload is validated) or a custom event starting with `x-`'),
  data: json().optional().describe('the payload: the event\'s schema for catalogue events, any JSON for `x-` events'),
});
export type PublishMessage = z.output<typeof publishMessage>;

export const publishBody = z.union([
  publishMessage,
  z.object({ messages: z.array(publishMessage).min(1).max(PUBLISH_MAX_MESSAGES) }).strict(),
]);
export type PublishBody = z.output<typeof publishBody>;

export const publishResult = z.object({
  delivered: z.object({
    recipients: z.number().int().describe('sockets the messages were sent to, summed over messages (see `scope`)'),
    scope: z.enum(['cluster', 'node']).describe('`cluster`: counted over every node (user targets, from the connection registry); `node`: rooms and `all` are counted on the node that took the request only'),
    messages: z.number().int(),
  }),
});
export type PublishResult = z.output<typeof publishResult>;

// --- HTTP: POST /webhooks/:source ---

/** Webhook types (seed 004's webhook processor, dotted or as its event names) → the event they broadcast. */
export const WEBHOOK_TYPES = {
  'ticket.purchased': 'ticket-purchased',
  'ticket.transferred': 'ticket-transferred',
  'event.updated': 'event-updated',
  'balance.updated': 'balance-updated',
  'system.announcement': 'system-announcement',
  'market.update': 'market-update',
  'ticket-purchased': 'ticket-purchased',
  'ticket-transferred': 'ticket-transferred',
  'event-updated': 'event-updated',
  'balance-updated': 'balance-updated',
  'system-announcement': 'system-announcement',
  'market-update': 'market-update',
} as const;
export type WebhookType = keyof typeof WEBHOOK_TYPES;

export const webhookBody = z.object({
  id: text().trim().min(1).max(200).describe('the sender\'s event id: a second delivery of the same id is answered `{ duplicate: true }` and not broadcast'),
  type: z.enum(Object.keys(WEBHOOK_TYPES) as [WebhookType, ...WebhookType[]]),
  data: z.record(text().max(64), json()),
});
export type WebhookBody = z.output<typeof webhookBody>;
export const webhookResult = z.object({ received: z.literal(true), duplicate: z.boolean(), recipients: z.number().int() });
