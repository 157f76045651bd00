import type { InboundEvents, OutboundEvents } from './generated/protocol.ts';

export type { ErrorCode, InboundEvents, OutboundEvents } from './generated/protocol.ts';

/** A client→server event name. */
export type RequestName = keyof InboundEvents & string;
/** What `emit(event, …)` takes for `E`. */
export type RequestPayload<E extends RequestName> = InboundEvents[E]['payload'];
/** What `emit(event, …)` resolves with for `E` (the ack's `data`). */
export type AckData<E extends RequestName> = InboundEvents[E]['ack'];
/** The payload argument of `emit`: optional when the event accepts none. */
export type RequestArgs<E extends RequestName> = undefined extends RequestPayload<E> ? [payload?: RequestPayload<E>] : [payload: RequestPayload<E>];

/** A server→client event name. */
export type EventName = keyof OutboundEvents & string;
/** The payload of a server→client event; durable events also carry `_seq` (their position in the user's stream). */
export type EventPayload<E extends EventName> = OutboundEvents[E];
export type EventHandler<E extends EventName> = (payload: EventPayload<E>) => void;
