/**
 * Quick start: a driver goes online, a rider requests a trip, the driver accepts it.
 *
 *   node --import tsx examples/quick-start.ts RIDER_TOKEN DRIVER_TOKEN [http://localhost:3000]
 */
import { io, type Socket } from 'socket.io-client';
import type {
  AckResponse, ClientToServerEvents, ServerToClientEvents, TripAcceptedPayload, TripAssignmentConfirmedPayload,
} from '../src/protocol/index.ts';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Connects with a token; rejects with the server's reason (`err.data.code`) when it is refused. */
export function connect(url: string, token: string): Promise<Client> {
  const socket: Client = io(url, { auth: { token }, transports: ['websocket'], reconnection: false });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

/** Every event answers through its ack: `{ success: true, data }` or `{ success: false, error }`. */
function data<T>(answer: AckResponse): T {
  if (!answer.success) throw new Error(`${answer.error.code}: ${answer.error.message}`);
  return answer.data as T;
}

/** The driver: reports a position and goes available, then accepts the first trip it is offered. */
export async function driver(url: string, token: string): Promise<{ socket: Client; assigned: Promise<TripAssignmentConfirmedPayload> }> {
  const socket = await connect(url, token);
  const assigned = new Promise<TripAssignmentConfirmedPayload>((resolve, reject) => {
    socket.once('new_trip_available', (offer) => {
      console.log(`driver: offered ${offer.pickupAddress} → ${offer.dropoffAddress} for ${offer.estimatedFare}`);
      socket.emitWithAck('trip_accept', { tripId: offer.tripId }).then((answer) => resolve(data(answer)), reject);
    });
  });
  // Dispatch offers trips only to available drivers with a fresh position near the pickup.
  data(await socket.emitWithAck('driver_location_update', { location: { latitude: 15.5025, longitude: 32.5532 }, isAvailable: true }));
  return { socket, assigned };
}

/** The rider: requests a trip and waits until a driver accepts it. */
export async function rider(url: string, token: string): Promise<{ socket: Client; accepted: TripAcceptedPayload }> {
  const socket = await connect(url, token);
  const accepted = new Promise<TripAcceptedPayload>((resolve) => socket.once('trip_accepted', resolve));
  const sent = data<{ tripId: string; nearbyDriversCount: number }>(await socket.emitWithAck('trip_request', {
    pickupAddress: 'Khartoum University', pickupLatitude: 15.5007, pickupLongitude: 32.5532,
    dropoffAddress: 'Blue Nile Bridge', dropoffLatitude: 15.5994, dropoffLongitude: 32.5344,
  }));
  console.log(`rider: trip ${sent.tripId} requested, ${sent.nearbyDriversCount} driver(s) nearby`);
  const trip = await accepted;
  console.log(`rider: ${trip.driverName} accepted, about ${trip.estimatedArrival ?? '?'} min away`);
  return { socket, accepted: trip };
}

if (process.argv[1]?.endsWith('quick-start.ts')) {
  const [riderToken, driverToken, url = 'http://localhost:3000'] = process.argv.slice(2);
  if (!riderToken || !driverToken) throw new Error('usage: examples/quick-start.ts RIDER_TOKEN DRIVER_TOKEN [URL] (tokens from `npx livegate token`)');
  const d = await driver(url, driverToken);
  const r = await rider(url, riderToken);
  await d.assigned;
  r.socket.close();
  d.socket.close();
}
