import type { TripStatus } from './trip-types.ts';

/** What can happen to a trip. `request` creates it and is not a transition. */
export type TripAction = 'accept' | 'reject' | 'arrive' | 'start' | 'complete' | 'cancel' | 'expire';

/**
 * Who acts, relative to the trip: its passenger, a driver holding a live
 * offer, the driver assigned to it, an admin (or a backend), or the server.
 */
export type TripActor = 'passenger' | 'offered_driver' | 'assigned_driver' | 'admin' | 'system';

interface Transition {
  /** The status after the action; null = the trip's status does not change (a rejected offer). */
  readonly to: TripStatus | null;
  /** Per actor, the statuses the action is allowed from. An actor not listed may not cause it. */
  readonly from: Partial<Readonly<Record<TripActor, readonly TripStatus[]>>>;
}

const BEFORE_START = ['searching_driver', 'accepted', 'driver_arrived'] as const;

/**
 * The one transition table (state × action → next state, and who may cause
 * it). Every write to a trip's status is a conditional UPDATE whose WHERE is
 * built from this table, so an illegal transition cannot happen even when two
 * nodes race.
 */
export const TRIP_TRANSITIONS = {
  accept: { to: 'accepted', from: { offered_driver: ['searching_driver'] } },
  reject: { to: null, from: { offered_driver: ['searching_driver'] } },
  arrive: { to: 'driver_arrived', from: { assigned_driver: ['accepted'] } },
  start: { to: 'in_progress', from: { assigned_driver: ['driver_arrived'] } },
  complete: { to: 'completed', from: { assigned_driver: ['in_progress'] } },
  cancel: {
    to: 'cancelled',
    from: { passenger: BEFORE_START, assigned_driver: ['accepted', 'driver_arrived'], admin: [...BEFORE_START, 'in_progress'] },
  },
  expire: { to: 'expired', from: { system: ['searching_driver'] } },
} as const satisfies Record<TripAction, Transition>;

/** The statuses `actor` may cause `action` from (empty: never). */
export function allowedFrom(action: TripAction, actor: TripActor): readonly TripStatus[] {
  const from: Transition['from'] = TRIP_TRANSITIONS[action].from;
  return from[actor] ?? [];
}

export function canTransition(action: TripAction, actor: TripActor, status: TripStatus): boolean {
  return allowedFrom(action, actor).includes(status);
}

/** Terminal statuses: nothing follows them. */
export const isFinal = (status: TripStatus): boolean => status === 'completed' || status === 'cancelled' || status === 'expired';
