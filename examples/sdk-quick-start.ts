/**
 * Quick start with the SDK (@livegate/client): a driver goes online, a rider
 * requests a trip, the driver accepts it. Same ride as quick-start.ts, with
 * typed acknowledgements, reconnects and token refresh handled by the client.
 *
 *   npm run build:packages
 *   node --import tsx examples/sdk-quick-start.ts RIDER_TOKEN DRIVER_TOKEN [http://localhost:3000]
 */
import { createClient, type LivegateClient } from '@livegate/client';

/** The driver: reports a position and goes available, then accepts the first trip it is offered. */
export async function driver(url: string, token: string): Promise<{ client: LivegateClient; assigned: Promise<{ tripId: string; passengerId: string }> }> {
  const client = createClient({ url, token });
  const assigned = new Promise<{ tripId: string; passengerId: string }>((resolve, reject) => {
    const stop = client.on('new_trip_available', (offer) => {
      stop();
      console.log(`driver: offered ${offer.pickupAddress} → ${offer.dropoffAddress} for ${offer.estimatedFare}`);
      client.emit('trip_accept', { tripId: offer.tripId }).then(resolve, reject);
    });
  });
  // Waits in the offline queue until the connection is up. Dispatch offers trips only to available drivers near the pickup.
  await client.emit('driver_location_update', { location: { latitude: 15.5025, longitude: 32.5532 }, isAvailable: true });
  return { client, assigned };
}

/** The rider: requests a trip and waits until a driver accepts it. */
export async function rider(url: string, token: string): Promise<{ client: LivegateClient; driverName: string }> {
  const client = createClient({ url, token });
  const accepted = new Promise<{ driverName: string; estimatedArrival: number | null }>((resolve) => client.on('trip_accepted', resolve));
  const { tripId, nearbyDriversCount } = await client.emit('trip_request', {
    pickupAddress: 'Khartoum University', pickupLatitude: 15.5007, pickupLongitude: 32.5532,
    dropoffAddress: 'Blue Nile Bridge', dropoffLatitude: 15.5994, dropoffLongitude: 32.5344,
  });
  console.log(`rider: trip ${tripId} requested, ${nearbyDriversCount} driver(s) nearby`);
  const trip = await accepted;
  console.log(`rider: ${trip.driverName} accepted, about ${trip.estimatedArrival ?? '?'} min away`);
  return { client, driverName: trip.driverName };
}

if (process.argv[1]?.endsWith('sdk-quick-start.ts')) {
  const [riderToken, driverToken, url = 'http://localhost:3000'] = process.argv.slice(2);
  if (!riderToken || !driverToken) throw new Error('usage: examples/sdk-quick-start.ts RIDER_TOKEN DRIVER_TOKEN [URL] (tokens from `npx livegate token`)');
  const d = await driver(url, driverToken);
  const r = await rider(url, riderToken);
  await d.assigned;
  r.client.close();
  d.client.close();
}
