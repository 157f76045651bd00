import { useEffect, useRef } from 'react';
import type { EventHandler, EventName, LivegateClient } from '@livegate/client';
import { useLivegate } from './context.tsx';

/** Calls `handler` for every `event` while the component is mounted (the latest handler, without re-subscribing). */
export function useEvent<E extends EventName>(event: E, handler: EventHandler<E>): void {
  const client = useLivegate();
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => client.on(event, (payload) => latest.current(payload)), [client, event]);
}

/**
 * Runs `join` now if connected and again after every reconnect: room
 * memberships (a trip, a chat room) live on the server's socket and end with it.
 */
export function useOnConnect(client: LivegateClient, join: () => void, deps: readonly unknown[]): void {
  const latest = useRef(join);
  latest.current = join;
  useEffect(() => {
    if (client.status === 'connected') latest.current();
    return client.onStatus((s) => {
      if (s === 'connected') latest.current();
    });
  }, [client, ...deps]);
}
