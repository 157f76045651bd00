/**
 * Type-level tests of @livegate/client, checked by `npm run typecheck` (tsc), never run:
 * every `@ts-expect-error` line must be an error, or tsc fails.
 */
import { createClient, LivegateError, type AckData, type EventPayload } from '@livegate/client';

const client = createClient({ url: 'http://localhost:3000', token: 'x', autoConnect: false });

export async function typedRequests(): Promise<void> {
  const sent = await client.emit('trip_request', {
    pickupAddress: 'A', pickupLatitude: 1, pickupLongitude: 2, dropoffAddress: 'B', dropoffLatitude: 3, dropoffLongitude: 4,
  });
  const tripId: string = sent.tripId;
  const status: 'searching_driver' = sent.status;
  void tripId;
  void status;
  const count: number = (await client.emit('notification:request-count')).count;
  void count;
  const serverTime: string = (await client.emit('ping')).serverTime;
  void serverTime;
  // @ts-expect-error unknown event
  await client.emit('trip_requets', {});
  // @ts-expect-error missing required fields
  await client.emit('trip_request', { pickupAddress: 'A' });
  // @ts-expect-error wrong field type
  await client.emit('trip_accept', { tripId: 42 });
  // @ts-expect-error a payload is required
  await client.emit('room:join');
  // @ts-expect-error the ack has no such field
  void (await client.emit('join_trip', { tripId: 'x' })).driverName;
}

export function typedEvents(): void {
  client.on('new_trip_available', (offer) => {
    const fare: number = offer.estimatedFare;
    void fare;
    // @ts-expect-error no such field on the offer
    void offer.fare;
  });
  client.on('notification:count', ({ count }) => void (count satisfies number));
  // @ts-expect-error unknown server event
  client.on('new_trip_availabel', () => undefined);
  // @ts-expect-error a client→server event is not something the server sends
  client.on('trip_request', () => undefined);
}

export function typedErrors(err: unknown): void {
  if (err instanceof LivegateError) {
    const code: string = err.code;
    const retry: number | undefined = err.retryAfterMs;
    void code;
    void retry;
    // @ts-expect-error codes are a closed set
    if (err.code === 'NOT_A_CODE') return;
  }
}

export type AcceptAck = AckData<'trip_accept'>['passengerId'];
export type Offer = EventPayload<'new_trip_available'>['tripId'];
// @ts-expect-error not an inbound event
export type Bad = AckData<'trip_accepted'>;
