/**
 * What Socket.IO writes to a connection, read without parsing the payload.
 * The encoder writes `<type>[<ack id>][<json>]` strings for the `/`
 * namespace: `0{"sid":…}` connected, `4{…}` refused, `1` disconnected,
 * `2["event",payload]` an event, `3<id>[…]` an ack. Events are the hot path
 * (positions, fan-out), so their payload is sliced out as JSON text and
 * spliced into the transport's frame as it is.
 */
export type OutboundPacket =
  | { kind: 'event'; name: string; payload: string; seq: number | string | undefined }
  | { kind: 'connected'; sid: string }
  | { kind: 'refused'; code: string; message: string; retryAfterMs: number | undefined }
  | { kind: 'disconnected' }
  | { kind: 'other' };

const OTHER: OutboundPacket = { kind: 'other' };
const DISCONNECTED: OutboundPacket = { kind: 'disconnected' };

/** Reads one encoded packet of the `/` namespace (binary packets are not used by the gateway: 'other'). */
export function readPacket(packet: string): OutboundPacket {
  const type = packet.charCodeAt(0);
  if (type === 50 /* '2' */) return readEvent(packet);
  if (type === 48 /* '0' */) {
    const sid = (JSON.parse(packet.slice(1)) as { sid?: unknown }).sid;
    return typeof sid === 'string' ? { kind: 'connected', sid } : OTHER;
  }
  if (type === 52 /* '4' */) {
    const body = JSON.parse(packet.slice(1)) as { message?: unknown; data?: { code?: unknown; message?: unknown; retryAfterMs?: unknown } };
    const retry = body.data?.retryAfterMs;
    return { kind: 'refused', code: String(body.data?.code ?? 'AUTH_FAILED'), message: String(body.data?.message ?? body.message ?? 'Refused'), retryAfterMs: typeof retry === 'number' ? retry : undefined };
  }
  if (type === 49 /* '1' */) return DISCONNECTED;
  return OTHER;
}

function readEvent(packet: string): OutboundPacket {
  // Server→client emits never ask for an ack here, but skip an id if one is present.
  let i = 1;
  while (i < packet.length && packet.charCodeAt(i) >= 48 && packet.charCodeAt(i) <= 57) i++;
  if (packet.charCodeAt(i) !== 91 /* [ */ || packet.charCodeAt(i + 1) !== 34 /* " */) return OTHER;
  const end = packet.indexOf('"', i + 2);
  if (end < 0) return OTHER;
  const name = packet.slice(i + 2, end);
  const rest = end + 1;
  // `["name"]` has no payload.
  if (packet.charCodeAt(rest) !== 44 /* , */) return { kind: 'event', name, payload: 'null', seq: undefined };
  // An array payload may be followed by a second argument `{ _seq }` (notifications:batch); names with escapes are not the catalogue's: parse exactly.
  if (packet.charCodeAt(rest + 1) === 91 /* [ */ || name.includes('\\')) return readEventExactly(packet.slice(i));
  const payload = packet.slice(rest + 1, -1);
  return { kind: 'event', name, payload, seq: seqOf(payload) };
}

function readEventExactly(args: string): OutboundPacket {
  const [name, payload = null, extra] = JSON.parse(args) as [unknown, unknown, unknown];
  const seq = (extra as { _seq?: unknown } | undefined)?._seq ?? (payload as { _seq?: unknown } | null)?._seq;
  return { kind: 'event', name: String(name), payload: JSON.stringify(payload), seq: typeof seq === 'number' || typeof seq === 'string' ? seq : undefined };
}

/**
 * The durable-stream position of a payload (`_seq`, PROTOCOL.md section 6),
 * or undefined. Only payloads whose text names the key are parsed, so
 * positions and other transient traffic cost one substring search.
 */
function seqOf(payload: string): number | string | undefined {
  if (!payload.includes('"_seq":')) return undefined;
  const seq = (JSON.parse(payload) as { _seq?: unknown } | null)?._seq;
  return typeof seq === 'number' || typeof seq === 'string' ? seq : undefined;
}

/** Plain WebSocket frame for an outbound event: `{ type, data, seq? }`. */
export function wsEventFrame(name: string, payload: string, seq: number | string | undefined): string {
  return `{"type":${JSON.stringify(name)},"data":${payload}${seq === undefined ? '' : `,"seq":${JSON.stringify(seq)}`}}`;
}

/** Server-Sent Events record: `id:` when the payload is durable, then `event:` and one `data:` line (JSON has no raw newlines). */
export function sseEventFrame(name: string, payload: string, seq: number | string | undefined): string {
  return `${seq === undefined ? '' : `id: ${seq}\n`}event: ${name}\ndata: ${payload}\n\n`;
}
