import { useState } from 'react';
import { LivegateError, type EventPayload } from '@livegate/client';
import { useLivegate } from './context.tsx';
import { useEvent, useOnConnect } from './use-event.ts';

type TripRoomData = EventPayload<'trip:updated'>['data'];
export type TripStatus = TripRoomData['status'];

export interface TripState {
  status: TripStatus | undefined;
  /** The trip as the room last reported it (`trip:updated` and friends); undefined until the first change. */
  trip: TripRoomData | undefined;
  error: LivegateError | undefined;
}

/** Joins `trip:{tripId}` (`join_trip`, again after reconnects) and follows its status. */
export function useTrip(tripId: string | undefined): TripState {
  const client = useLivegate();
  const [state, setState] = useState<TripState>({ status: undefined, trip: undefined, error: undefined });
  useOnConnect(client, () => {
    if (!tripId) return;
    client.emit('join_trip', { tripId }).then(
      (ack) => setState((s) => ({ ...s, status: ack.status, error: undefined })),
      (error: unknown) => setState((s) => ({ ...s, error: error instanceof LivegateError ? error : new LivegateError('INTERNAL_ERROR', String(error)) })),
    );
  }, [tripId]);
  const onRoom = (p: { tripId: string; data: TripRoomData }) => {
    if (p.tripId === tripId) setState((s) => ({ ...s, status: p.data.status, trip: p.data }));
  };
  useEvent('trip:updated', onRoom);
  useEvent('trip:started', onRoom);
  useEvent('trip:completed', onRoom);
  useEvent('trip:cancelled', (p) => {
    if (p.tripId === tripId) setState((s) => ({ ...s, status: 'cancelled' }));
  });
  return state;
}
