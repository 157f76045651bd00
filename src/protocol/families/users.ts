import { z } from 'zod';
import { defineInbound } from '../define.ts';
import { id, text } from '../schemas.ts';

export const USER_STATUSES = ['active', 'suspended', 'inactive'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

/** User events (seed 000 "User Events"). */
export const usersInbound = {
  /** The sender's own profile changed elsewhere; `userId` must be the sender. */
  profile_updated: defineInbound({
    schema: z.object({ userId: id, changes: z.array(text().min(1).max(64)).max(50).default([]) }),
    audience: 'authenticated',
    rate: 'default',
  }),
} as const;

export interface UserStatusChangedPayload { userId: string; status: UserStatus; reason: string; timestamp: string }
export interface ProfileUpdatedPayload { userId: string; changes: string[]; timestamp: string }

export interface UsersOutbound {
  user_status_changed: (p: UserStatusChangedPayload) => void;
  profile_updated: (p: ProfileUpdatedPayload) => void;
}
