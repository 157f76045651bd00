import type { z } from 'zod';
import type { WireError } from './errors.ts';
import type { RateClass, SocketRole } from './roles.ts';

/** Who may send an inbound event. `authenticated` = any role but anonymous. */
export type Audience = readonly SocketRole[] | 'authenticated' | 'anyone';

/**
 * The contract of one client→server event: its payload schema, who may send
 * it, its rate-limit class, and — for families that document one — the event
 * that reports a failure when the client gave no acknowledgement callback.
 */
export interface InboundSpec<S extends z.ZodType = z.ZodType> {
  readonly schema: S;
  readonly audience: Audience;
  readonly rate: RateClass | 'none';
  readonly failure?: {
    readonly event: string;
    readonly payload: (error: WireError, raw: unknown) => Record<string, unknown>;
  };
}

export function defineInbound<S extends z.ZodType>(spec: InboundSpec<S>): InboundSpec<S> {
  return spec;
}

/** Picks `tripId` out of an unvalidated payload for failure events, only when it is a short string. */
export function tripIdOf(raw: unknown): string | undefined {
  if (raw && typeof raw === 'object' && 'tripId' in raw) {
    const v = (raw as { tripId: unknown }).tripId;
    if (typeof v === 'string' && v.length <= 128) return v;
  }
  return undefined;
}
