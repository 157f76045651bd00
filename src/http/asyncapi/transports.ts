/**
 * The gateway's transports as AsyncAPI servers and channels, described from
 * the wire contract (PROTOCOL.md sections 1, 2 and 6). Every transport carries
 * the same event catalogue; they differ in framing and direction.
 */
export const TRANSPORTS = {
  socketio: {
    server: { host: 'localhost:3000', protocol: 'ws', pathname: '/socket.io', title: 'Socket.IO 4', description: 'Socket.IO 4 (Engine.IO v4), transports `websocket` and `polling`, on the HTTP port. Token in `handshake.auth.token`, `Authorization: Bearer …` or `?token=`. A refused handshake is `connect_error` with `err.data = { code, message }` (`AUTH_FAILED`, `RATE_LIMIT_EXCEEDED` with `retryAfterMs`). Every client→server event may take an acknowledgement callback as its last argument, answered `{ success: true, data }` or `{ success: false, error: { code, message, details? } }`. Reconnecting with `auth.lastSeq` replays stored events after that position; durable emits carry `_seq`.' },
    channels: {
      socketio: { address: '/', title: 'Default namespace `/`', description: 'Every event of every family. Events are Socket.IO packets `[eventName, payload, ack?]`; the message name is the event name.' },
      admin: { address: '/admin', title: 'Admin namespace `/admin`', description: 'Dashboard traffic, admin tokens only (`FORBIDDEN` otherwise). A socket here may send only `auth:refresh` and `ping`; other events are answered `UNKNOWN_EVENT`.' },
    },
  },
  websocket: {
    server: { host: 'localhost:3000', protocol: 'ws', pathname: '/ws', title: 'Plain WebSocket', description: 'For devices, trackers and non-JS clients. Token in `Authorization: Bearer`, `?token=`, or a first frame `{ "type": "authenticate", "data": { "token" } }` within 5 s. JSON text frames `{ type, data, id? }` carry the same event catalogue, validation, authorisation and rate limits as Socket.IO; a frame with `id` is answered `{ type: "ack", id, success, data | error }`; `{ type: "ping" }` → `{ type: "pong", data: { timestamp } }`; `{ type: "resume", seq }` replays stored events after `seq`; durable frames carry `seq`. Close codes: 4001 auth failed, 4003 forbidden, 4008 rate limited, 4009 too large, 1001 server shutting down. Rooms are shared with Socket.IO clients.' },
    channels: {
      websocket: { address: '/ws', title: 'Plain WebSocket `/ws`', description: 'JSON text frames `{ type, data, id? }`; `type` is the event name.' },
    },
  },
  sse: {
    server: { host: 'localhost:3000', protocol: 'http', pathname: '/events', title: 'Server-Sent Events', description: '`GET /events`, `text/event-stream`, receive only. Token in `Authorization: Bearer` or `?token=` (EventSource cannot set headers). Each event is `id: <seq>`, `event: <event name>`, `data: <JSON payload>`; a `: keep-alive` comment every 15 s; `retry: 3000`. `Last-Event-ID` or `?lastEventId=` replays stored events after that position; `?include=positions` adds the positions of the user\'s active trip.' },
    channels: {
      sse: { address: '/events', title: 'Server-Sent Events `/events`', description: 'What the user would receive on Socket.IO, except transient traffic it did not ask for.' },
    },
  },
} as const;

/** Channels on which clients send events (SSE is receive only). */
export const SENDING_CHANNELS = ['socketio', 'websocket'] as const;
/** The only events an `/admin` socket may send. */
export const ADMIN_INBOUND = ['auth:refresh', 'ping'] as const;
