import { createClient, type ClientOptions, type LivegateClient } from '@livegate/client';
import type { Role } from '../../src/protocol/index.ts';
import type { TestServer } from '../helpers/server.ts';

/** An SDK client of `server` as `sub`, resolved once connected; `clients` collects it for closing. */
export async function sdkClient(server: { url: string; token: TestServer['token'] }, sub: string, role: Role, clients: LivegateClient[], opts: Partial<ClientOptions> = {}): Promise<LivegateClient> {
  const client = createClient({ url: server.url, token: () => server.token(sub, role, { name: sub }), transports: ['websocket'], ...opts });
  clients.push(client);
  if (opts.autoConnect === false) return client;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${sub} did not connect within 10 s`)), 10_000);
    if (client.status === 'connected') return resolve();
    const stop = client.onStatus((s) => {
      if (s !== 'connected') return;
      clearTimeout(timer);
      stop();
      resolve();
    });
  });
  return client;
}

/** The next payload of a typed event on an SDK client. */
export function nextEvent<T>(subscribe: (handler: (payload: T) => void) => () => void, timeoutMs = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no event within ${timeoutMs} ms`)), timeoutMs);
    const stop = subscribe((payload) => {
      clearTimeout(timer);
      stop();
      resolve(payload);
    });
  });
}

export const RIDE = {
  pickupAddress: 'Khartoum University', pickupLatitude: 15.5007, pickupLongitude: 32.5532,
  dropoffAddress: 'Blue Nile Bridge', dropoffLatitude: 15.5994, dropoffLongitude: 32.5344,
} as const;
export const NEAR_PICKUP = { location: { latitude: 15.5025, longitude: 32.5532 }, isAvailable: true } as const;
