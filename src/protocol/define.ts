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
  /**
   * Server→client events whose payload the ack repeats (`trip_request` → `trip_request_sent`).
   * A sender that asked for an ack gets the ack only; its other sockets, and a sender without an ack, get the event.
   */
  readonly answers?: readonly string[];
  /** The `data` of a successful acknowledgement (documentation: the event reference is generated from it). */
  readonly ack?: z.ZodType;
}

export function defineInbound<S extends z.ZodType>(spec: InboundSpec<S>): InboundSpec<S> {
  return spec;
}

/**
 * The contract of one server→client event: its payload schema and who
 * receives it (a room, or the socket that asked), in words for the event
 * reference. The TypeScript payload types are inferred from `schema`.
 */
export interface OutboundSpec<S extends z.ZodType = z.ZodType> {
  readonly schema: S;
  readonly to: string;
}

export function defineOutbound<S extends z.ZodType>(spec: OutboundSpec<S>): OutboundSpec<S> {
  return spec;
}

/** Socket.IO listener signatures of a family's outbound map; a payload schema of `undefined` means no argument. */
export type OutboundEvents<M extends Record<string, OutboundSpec>> = {
  [E in keyof M]: z.output<M[E]['schema']> extends undefined ? () => void : (payload: z.output<M[E]['schema']>) => void;
};

/** Picks `tripId` out of an unvalidated payload for failure events, only when it is a short string. */
export function tripIdOf(raw: unknown): string | undefined {
  if (raw && typeof raw === 'object' && 'tripId' in raw) {
    const v = (raw as { tripId: unknown }).tripId;
    if (typeof v === 'string' && v.length <= 128) return v;
  }
  return undefined;
}
