import { z } from 'zod';
import { defineInbound, defineOutbound, type OutboundEvents } from '../define.ts';
import { id, isoTime, text } from '../schemas.ts';

export const USER_STATUSES = ['active', 'suspended', 'inactive'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

/** User events (seed 000 "User Events"). */
export const usersInbound = {
  /** The sender's own profile changed elsewhere; `userId` must be the sender. */
  profile_updated: defineInbound({
    schema: z.object({ userId: id, changes: z.array(text().min(1).max(64)).max(50).default([]) }),
    audience: 'authenticated',
    rate: 'default',
    ack: z.object({ userId: z.string() }),
  }),
} as const;

export const userStatusChangedPayload = z.object({ userId: z.string(), status: z.enum(USER_STATUSES), reason: z.string(), timestamp: isoTime });
export const profileUpdatedPayload = z.object({ userId: z.string(), changes: z.array(z.string()).describe('names of the changed fields'), timestamp: isoTime });
export type UserStatusChangedPayload = z.output<typeof userStatusChangedPayload>;
export type ProfileUpdatedPayload = z.output<typeof profileUpdatedPayload>;

export const usersOutbound = {
  user_status_changed: defineOutbound({
    schema: userStatusChangedPayload,
    to: '`user:{userId}` and `admins` when an admin changes the status (a user no longer `active` is then disconnected); also a socket that connects to an account that is not active',
  }),
  profile_updated: defineOutbound({
    schema: profileUpdatedPayload,
    to: 'the user\'s other sockets (`user:{userId}`) and `admins`, after `profile_updated` from the user or a profile change over the HTTP API',
  }),
} as const;

export type UsersOutbound = OutboundEvents<typeof usersOutbound>;
