import { z } from 'zod';
import { defineInbound, defineOutbound, type OutboundEvents } from '../define.ts';
import { id, isoTime, text } from '../schemas.ts';

/**
 * Family F, presence (seed 003): a user's contacts see them come
 * online (first socket anywhere in the cluster), go offline (last socket gone,
 * or their node died) and change status. Nobody else does. Presence is never
 * stored in the database; contacts are (HTTP API).
 */
export const PRESENCE_STATUSES = ['online', 'away', 'busy', 'offline'] as const;
export type PresenceStatus = (typeof PRESENCE_STATUSES)[number];

export function isPresenceStatus(value: string): value is PresenceStatus {
  return (PRESENCE_STATUSES as readonly string[]).includes(value);
}

/** The most contacts one user may have (one PUT replaces them all). */
export const MAX_CONTACTS = 1000;

// --- Server→client payloads ---

export const friendPresenceChangedPayload = z.object({
  userId: z.string(),
  presence: z.enum(PRESENCE_STATUSES),
  lastSeen: isoTime.optional().describe('with `presence: "offline"`'),
});
export const userOnlinePayload = z.object({ userId: z.string(), name: z.string() });
export const userOfflinePayload = z.object({ userId: z.string(), lastSeen: isoTime.describe('when the last socket closed, or the last heartbeat of the node that died') });
export type FriendPresenceChangedPayload = z.output<typeof friendPresenceChangedPayload>;
export type UserOnlinePayload = z.output<typeof userOnlinePayload>;
export type UserOfflinePayload = z.output<typeof userOfflinePayload>;

export const presenceInbound = {
  /** The sender's status for their contacts. Any other status is refused with `INVALID_STATUS` (not `VALIDATION_ERROR`), as seed 003 does. */
  'presence:update': defineInbound({
    schema: z.object({ status: text().trim().max(32).describe('`online`, `away`, `busy` or `offline` (else `INVALID_STATUS`)') }),
    audience: 'authenticated',
    rate: 'chat',
    ack: friendPresenceChangedPayload,
  }),
} as const;

export const presenceOutbound = {
  'friend:presence:changed': defineOutbound({
    schema: friendPresenceChangedPayload,
    to: '`user:{id}` of each of the sender\'s contacts (one emit), after `presence:update` changed the status',
  }),
  'user:online': defineOutbound({
    schema: userOnlinePayload,
    to: '`user:{id}` of each contact, when the user\'s first socket anywhere in the cluster connects',
  }),
  'user:offline': defineOutbound({
    schema: userOfflinePayload,
    to: '`user:{id}` of each contact, once, when the user\'s last socket in the cluster closes or expires with its node',
  }),
} as const;

export type PresenceOutbound = OutboundEvents<typeof presenceOutbound>;

// --- HTTP (PUT /api/users/:id/contacts) ---

export const contactsParams = z.object({ id });
export const putContactsBody = z.object({
  contactIds: z.array(id).max(MAX_CONTACTS).describe(`the user's whole list (replaces the previous one; at most ${MAX_CONTACTS}, duplicates count once)`),
});
export const contactsView = z.object({
  userId: z.string(),
  contactIds: z.array(z.string()).describe('sorted; each of them now has `userId` among their contacts too'),
});
export type ContactsView = z.output<typeof contactsView>;
