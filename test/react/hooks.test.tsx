import './dom.ts';
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { createClient, type LivegateClient } from '@livegate/client';
import { StrictMode } from 'react';
import { LivegateProvider, useChatRoom, useConnectionStatus, useDriverLocation, useNotifications, usePresence, useTrip } from '@livegate/react';
import { startServer, type TestServer } from '../helpers/server.ts';
import { eventually } from '../helpers/eventually.ts';
import { NEAR_PICKUP, RIDE, nextEvent, sdkClient } from '../sdk/sdk-helpers.ts';
import { closeDom } from './dom.ts';

let server: TestServer;
const clients: LivegateClient[] = [];
before(async () => {
  server = await startServer();
});
afterEach(() => cleanup());
after(async () => {
  for (const c of clients) c.close();
  await server.close();
  closeDom();
});

/** A client for a component tree, connected as `sub`. */
function appClient(sub: string, role: 'passenger' | 'driver' | 'user'): LivegateClient {
  const client = createClient({ url: server.url, token: () => server.token(sub, role, { name: sub }), transports: ['websocket'] });
  clients.push(client);
  return client;
}

const WAIT = { timeout: 10_000 };

function TripStatus({ tripId, driverId }: { tripId: string; driverId: string }) {
  const { status } = useTrip(tripId);
  const position = useDriverLocation(driverId);
  return (
    <div>
      <p>status: {status ?? '…'}</p>
      <p>driver at: {position ? position.location.latitude.toFixed(4) : 'unknown'}</p>
    </div>
  );
}

test('useTrip shows the trip status as it changes', async () => {
  const driver = await sdkClient(server, 'hk-driver', 'driver', clients);
  const rider = await sdkClient(server, 'hk-rider', 'passenger', clients);
  await driver.emit('driver_location_update', NEAR_PICKUP);
  const offered = nextEvent<{ tripId: string }>((h) => driver.on('new_trip_available', h));
  const { tripId } = await rider.emit('trip_request', RIDE);
  await offered;
  render(<LivegateProvider client={appClient('hk-rider', 'passenger')}><TripStatus tripId={tripId} driverId="hk-driver" /></LivegateProvider>);
  await screen.findByText('status: searching_driver', undefined, WAIT);
  await driver.emit('trip_accept', { tripId });
  await screen.findByText('status: accepted', undefined, WAIT);
  // useDriverLocation: positions are throttled per driver, so report until one gets through.
  await waitFor(async () => {
    await driver.emit('driver_location_update', { tripId, location: { latitude: 15.5011, longitude: 32.5532 } });
    screen.getByText('driver at: 15.5011');
  }, { timeout: 10_000, interval: 300 });
  await driver.emit('driver_arrived', { tripId });
  await screen.findByText('status: driver_arrived', undefined, WAIT);
});

function Inbox() {
  const { unreadCount, received, markRead } = useNotifications();
  return (
    <div>
      <p>unread: {unreadCount}</p>
      <ul>{received.map((n) => <li key={n.id}>{n.message}</li>)}</ul>
      <button onClick={() => void markRead('all')}>mark all read</button>
    </div>
  );
}

test('useNotifications shows the unread count and new notifications, and marks them read', async () => {
  render(<LivegateProvider client={appClient('hk-inbox', 'passenger')}><Inbox /></LivegateProvider>);
  await screen.findByText('unread: 0', undefined, WAIT);
  const sent = await server.api('/api/notifications', { body: { userId: 'hk-inbox', notification: { title: 'Trip', message: 'Your driver is here' } } });
  assert.equal(sent.status, 201, JSON.stringify(sent.body));
  await screen.findByText('Your driver is here', undefined, WAIT);
  await screen.findByText('unread: 1', undefined, WAIT);
  await act(async () => screen.getByText('mark all read').click());
  await screen.findByText('unread: 0', undefined, WAIT);
});

function Room({ roomId }: { roomId: string }) {
  const { room, messages } = useChatRoom(roomId);
  return (
    <div>
      <h1>{room?.name ?? 'joining'}</h1>
      <ul>{messages.map((m) => <li key={m.id}>{m.sender.name}: {m.content}</li>)}</ul>
    </div>
  );
}

test('useChatRoom shows a message another real client sends', async () => {
  const created = await server.api('/api/chat/rooms', { body: { id: 'hk-room', name: 'Night shift', type: 'group', members: ['hk-reader', 'hk-writer'] } });
  assert.ok(created.status === 201 || created.status === 200, JSON.stringify(created.body));
  render(<LivegateProvider client={appClient('hk-reader', 'user')}><Room roomId="hk-room" /></LivegateProvider>);
  await screen.findByText('Night shift', undefined, WAIT);
  const writer = await sdkClient(server, 'hk-writer', 'user', clients);
  await writer.emit('room:join', { roomId: 'hk-room' });
  await writer.emit('message:send', { roomId: 'hk-room', content: 'Anyone near the airport?' });
  await waitFor(() => assert.ok(screen.getByText('hk-writer: Anyone near the airport?')), WAIT);
});

function Contacts() {
  const { contacts } = usePresence();
  return (
    <ul>{Object.entries(contacts).map(([id, c]) => <li key={id}>{id}: {c.online ? 'online' : 'offline'}{c.status ? ` (${c.status})` : ''}{c.lastSeen ? ' seen' : ''}</li>)}</ul>
  );
}

test('usePresence follows a contact coming online, changing status and leaving', async () => {
  for (const id of ['hk-me', 'hk-friend']) await server.api('/api/users', { body: { id, role: 'user', name: id } });
  const put = await server.api('/api/users/hk-me/contacts', { method: 'PUT', body: { contactIds: ['hk-friend'] } });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  render(<LivegateProvider client={appClient('hk-me', 'user')}><Contacts /></LivegateProvider>);
  await eventually(() => assert.equal(clientsConnected('hk-me'), true), 10_000);
  const friend = await sdkClient(server, 'hk-friend', 'user', clients);
  await screen.findByText('hk-friend: online', undefined, WAIT);
  await friend.emit('presence:update', { status: 'away' });
  await screen.findByText('hk-friend: online (away)', undefined, WAIT);
  friend.close();
  await screen.findByText('hk-friend: offline (offline) seen', undefined, WAIT);
});

/** True once the server has a socket of `userId` (the provider's client connected). */
function clientsConnected(userId: string): boolean {
  return server.app.io.of('/').adapter.rooms.has(`user:${userId}`);
}

function Status() {
  return <p>connection: {useConnectionStatus()}</p>;
}

test('a provider given options connects, also under StrictMode (effects run twice), and closes its client on unmount', async () => {
  const options = { url: server.url, token: () => server.token('hk-strict', 'user'), transports: ['websocket' as const] };
  const view = render(<StrictMode><LivegateProvider options={options}><Status /></LivegateProvider></StrictMode>);
  await screen.findByText('connection: connected', undefined, WAIT);
  const open = async () => (await server.api('/api/connections?userId=hk-strict')).body.count as number;
  // One connection: the client StrictMode's first cleanup closed is gone.
  await eventually(async () => assert.equal(await open(), 1), 10_000, 100);
  view.unmount();
  await eventually(async () => assert.equal(await open(), 0), 10_000, 100);
});
