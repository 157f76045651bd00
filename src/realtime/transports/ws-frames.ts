/**
 * Plain WebSocket frames (PROTOCOL.md section 6): JSON text `{ type, data, id? }`
 * in, `{ type, data, seq? }` and `{ type: "ack", id, success, data | error }` out.
 */

/** A well-formed inbound frame. `id` asks for an ack. */
export interface InboundFrame {
  type: string;
  data: unknown;
  id: string | number | undefined;
  /** `resume` frames carry the position to resume after. */
  seq: unknown;
}

export type FrameParse = { ok: true; frame: InboundFrame } | { ok: false; message: string; id: string | number | undefined };

/** Close codes, mirroring HTTP where one fits (Hocuspocus style). */
export const CLOSE = {
  normal: 1000,
  goingAway: 1001,
  internal: 1011,
  authFailed: 4001,
  forbidden: 4003,
  rateLimited: 4008,
  tooLarge: 4009,
} as const;

/** The close code of a refused handshake (handshake-auth.ts codes). */
export function closeCodeOf(code: string): number {
  if (code === 'AUTH_FAILED' || code === 'TOKEN_EXPIRED') return CLOSE.authFailed;
  if (code === 'FORBIDDEN') return CLOSE.forbidden;
  if (code === 'RATE_LIMIT_EXCEEDED') return CLOSE.rateLimited;
  return CLOSE.internal;
}

const MAX_ID_LENGTH = 128;

function validId(id: unknown): id is string | number {
  return (typeof id === 'string' && id.length > 0 && id.length <= MAX_ID_LENGTH) || (typeof id === 'number' && Number.isFinite(id));
}

/** Parses one text frame; a malformed one names what is wrong (answered with VALIDATION_ERROR). */
export function parseFrame(text: string): FrameParse {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, message: 'Frame is not JSON', id: undefined };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { ok: false, message: 'Frame must be an object { type, data, id? }', id: undefined };
  const { type, data, id, seq } = value as Record<string, unknown>;
  if (id !== undefined && !validId(id)) return { ok: false, message: `id must be a string of 1 to ${MAX_ID_LENGTH} characters or a number`, id: undefined };
  if (typeof type !== 'string' || type.length === 0 || type.length > 128) return { ok: false, message: 'type must be an event name', id };
  return { ok: true, frame: { type, data, id, seq } };
}

/** `{ type: "ack", id, success, data | error }` from the router's answer (`{ success, data }` or `{ success: false, error }`). */
export function ackFrame(id: string | number, answer: unknown): string {
  const body = JSON.stringify(answer);
  // Splice the answer's fields after type and id (the answer is always an object).
  return `{"type":"ack","id":${JSON.stringify(id)}${body.length > 2 ? `,${body.slice(1)}` : '}'}`;
}

/** The `error` frame of a frame that could not be handled, shaped like the router's `error` event. */
export function errorFrame(message: string, event: string | undefined, now: number): string {
  return JSON.stringify({ type: 'error', data: { message, code: 'VALIDATION_ERROR', event: event?.slice(0, 64), timestamp: new Date(now).toISOString() } });
}

/** The same failure answered through the ack when the frame asked for one. */
export function failedAckFrame(id: string | number, message: string): string {
  return ackFrame(id, { success: false, error: { code: 'VALIDATION_ERROR', message } });
}
