import { validationError } from '../../core/errors.ts';
import {
  CUSTOM_EVENT, OUTBOUND, PUBLISH_MAX_DATA_BYTES, STAMPED_EVENTS, schemas, type OutboundEvent, type PublishBody, type PublishMessage, type PublishTarget,
} from '../../protocol/index.ts';

/**
 * Catalogue events a backend may not publish: they describe the socket's own
 * session (its authentication, an answer to its own request, a shutdown of
 * its node), so a published one would mislead the client.
 */
const SESSION_EVENTS: ReadonlySet<string> = new Set(['authenticated', 'auth_error', 'pong', 'error', 'server:shutdown', 'heartbeat', 'room-joined']);

/** A message ready to send: its payload validated against the event's schema (or any bounded JSON for `x-` events). */
export interface ResolvedMessage {
  readonly to: PublishTarget;
  readonly event: string;
  readonly data: unknown;
  /** False for `x-` events. */
  readonly catalogue: boolean;
}

/** The messages of a publish body, in order. */
export const messagesOf = (body: PublishBody): readonly PublishMessage[] => ('messages' in body ? body.messages : [body]);

/**
 * Validates one message: a catalogue event's data against its outbound
 * schema (unknown keys dropped; seed 004's events get `timestamp` = now when
 * it is left out), a custom event's name (`x-…`) and size. `index` names
 * the message in the error of a batch.
 */
export function resolveMessage(msg: PublishMessage, now: number, index?: number): ResolvedMessage {
  const at = index === undefined ? '' : `messages.${index}`;
  const fail = (path: PropertyKey[], message: string) => validationError('request', [{ path, message }], at);
  const size = JSON.stringify(msg.data ?? null).length;
  if (size > PUBLISH_MAX_DATA_BYTES) throw fail(['data'], `at most ${PUBLISH_MAX_DATA_BYTES} bytes as JSON`);
  if (CUSTOM_EVENT.test(msg.event)) return { to: msg.to, event: msg.event, data: msg.data ?? null, catalogue: false };
  if (!Object.hasOwn(OUTBOUND, msg.event) || SESSION_EVENTS.has(msg.event)) {
    throw fail(['event'], `${msg.event.slice(0, 64)} is not a publishable event: use one of the catalogue or a name starting with x-`);
  }
  const event = msg.event as OutboundEvent;
  let data = msg.data;
  if (STAMPED_EVENTS.has(event) && data && typeof data === 'object' && !Array.isArray(data) && !('timestamp' in data)) data = { ...data, timestamp: now };
  const parsed = OUTBOUND[event].schema.safeParse(data);
  if (!parsed.success) throw validationError('request', parsed.error.issues.map((i) => ({ path: ['data', ...i.path], message: i.message })), at);
  return { to: msg.to, event, data: parsed.data, catalogue: true };
}

export function resolveBody(body: PublishBody, now: number): ResolvedMessage[] {
  const list = messagesOf(body);
  return list.map((m, i) => resolveMessage(m, now, 'messages' in body ? i : undefined));
}

/** Free-form data has been checked for U+0000 by the request schema; this is the same check for webhook data. */
export const hasNul = (value: unknown): boolean => schemas.containsNul(value);
