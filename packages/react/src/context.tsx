import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { createClient, type ClientOptions, type ConnectionStatus, type LivegateClient } from '@livegate/client';

const ClientContext = createContext<LivegateClient | null>(null);

export type LivegateProviderProps =
  | { client: LivegateClient; options?: never; children?: ReactNode }
  | { options: ClientOptions; client?: never; children?: ReactNode };

/**
 * Makes a Livegate client available to the hooks below it. Pass a `client`
 * you own, or `options` and the provider creates one and closes it on unmount.
 */
export function LivegateProvider(props: LivegateProviderProps) {
  // Created unconnected: StrictMode calls this initializer twice and drops one result, which must not hold a socket.
  const [owned, setOwned] = useState(() => (props.client ? null : createClient({ ...props.options, autoConnect: false })));
  useEffect(() => {
    if (!owned || !props.options) return;
    // StrictMode also runs effects twice: the first cleanup closed this client, so make a new one.
    if (owned.status === 'closed') return setOwned(createClient({ ...props.options, autoConnect: false }));
    if (props.options.autoConnect !== false) owned.connect();
    return () => owned.close();
    // The options are read once, like a ref: a new client per render would drop the connection.
  }, [owned]);
  return <ClientContext.Provider value={props.client ?? owned}>{props.children}</ClientContext.Provider>;
}

/** The client of the nearest `LivegateProvider`. */
export function useLivegate(): LivegateClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useLivegate: no <LivegateProvider> above this component');
  return client;
}

/** The connection status, re-rendering when it changes. */
export function useConnectionStatus(): ConnectionStatus {
  const client = useLivegate();
  const [status, setStatus] = useState(client.status);
  useEffect(() => {
    setStatus(client.status);
    return client.onStatus(setStatus);
  }, [client]);
  return status;
}
