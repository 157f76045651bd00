import { performance } from 'node:perf_hooks';
import type { Clock } from '../core/clock.ts';
import { AppError, toAppError, validationError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import { INBOUND, isInboundEvent, type AckFn, type Audience, type InboundEvent, type InboundPayload, type InboundSpec, type SocketRole, type RateClass } from '../protocol/index.ts';
import type { RateLimiter } from '../state/rate-limiter.ts';
import { replyGate, type ReplyGate } from './reply-gate.ts';
import type { LivegateSocket, OutArgs, OutEvent } from './types.ts';

const NO_ANSWERS: readonly string[] = [];

/** What a handler gets besides its validated payload. */
export interface HandlerContext {
  readonly userId: string;
  readonly role: SocketRole;
  readonly socket: LivegateSocket;
  /** Epoch ms when the event was taken in. */
  readonly now: number;
  /** Emits to the sender's socket (counted in metrics). */
  emit<E extends OutEvent>(event: E, ...args: OutArgs<E>): void;
}

export type EventHandler<E extends InboundEvent> = (ctx: HandlerContext, payload: InboundPayload<E>) => unknown;
/** Every inbound event has exactly one handler: a missing one is a compile error. */
export type HandlerMap = { [E in InboundEvent]: EventHandler<E> };

export interface RouterDeps {
  handlers: HandlerMap;
  limiters: Readonly<Record<RateClass, RateLimiter>>;
  clock: Clock;
  metrics: Metrics;
  log: Logger;
}

function allowed(audience: Audience, role: SocketRole): boolean {
  if (audience === 'anyone') return true;
  if (audience === 'authenticated') return role !== 'anonymous';
  return audience.includes(role);
}


/**
 * The one way inbound events are handled: a single middleware per socket looks
 * up the event's contract, then checks token expiry, audience, rate limit and
 * payload, runs the handler and answers through the ack, the family's failure
 * event, or `error`. Handlers never repeat this.
 */
export class EventRouter {
  constructor(private readonly deps: RouterDeps) {}

  attach(socket: LivegateSocket): void {
    // What every event of this socket shares is made once here, not per message:
    // the reply gate (a WeakMap lookup) and the handlers' `emit`.
    const gate = replyGate(socket.conn);
    const { metrics } = this.deps;
    const emit = <E extends OutEvent>(ev: E, ...args: OutArgs<E>) => {
      socket.emit(ev, ...args);
      metrics.eventSent(ev);
    };
    // Never calling next(): no per-event listeners are registered on sockets.
    socket.use((packet) => void this.dispatch(socket, packet, gate, emit));
  }

  private async dispatch(socket: LivegateSocket, packet: unknown[], gate: ReplyGate, emit: HandlerContext['emit']): Promise<void> {
    const { metrics, clock } = this.deps;
    const event = String(packet[0]);
    const last = packet[packet.length - 1];
    const ack = packet.length > 1 && typeof last === 'function' ? (last as AckFn) : undefined;
    const raw = typeof packet[1] === 'function' ? undefined : packet[1];
    const started = performance.now();
    const known = isInboundEvent(event);
    metrics.eventReceived(known ? event : 'unknown');
    const spec: InboundSpec | undefined = known ? INBOUND[event] : undefined;
    // What reaches this connection while the event is handled waits for the answer (reply-gate.ts).
    gate.enter();
    let answer: (() => void) | undefined;
    try {
      if (!known || !spec) throw new AppError('UNKNOWN_EVENT', `Unknown event ${event.slice(0, 64)}`);
      const data = socket.data;
      const now = clock.now();
      if (data.role !== 'anonymous' && data.expiresAt <= now) throw new AppError('TOKEN_EXPIRED');
      if (!allowed(spec.audience, data.role)) throw new AppError('FORBIDDEN', `${data.role} may not send ${event}`);
      if (spec.rate !== 'none') {
        const key = data.role === 'anonymous' ? `ip:${data.address}` : data.userId;
        const decision = await this.deps.limiters[spec.rate].consume(key);
        if (!decision.allowed) throw new AppError('RATE_LIMIT_EXCEEDED', undefined, { retryAfterMs: decision.retryAfterMs });
      }
      const parsed = spec.schema.safeParse(raw);
      if (!parsed.success) throw validationError('payload', parsed.error.issues);
      const handler = this.deps.handlers[event] as EventHandler<InboundEvent>;
      const result = await handler({ userId: data.userId, role: data.role, socket, now, emit }, parsed.data as InboundPayload<InboundEvent>);
      if (ack) answer = () => ack({ success: true, data: result ?? null });
    } catch (err) {
      answer = () => this.fail(socket, event, spec, raw, ack, err);
    } finally {
      gate.leave(answer, ack && spec?.answers ? spec.answers : NO_ANSWERS);
      if (known) metrics.handled(event, (performance.now() - started) / 1000);
    }
  }

  private fail(socket: LivegateSocket, event: string, spec: InboundSpec | undefined, raw: unknown, ack: AckFn | undefined, err: unknown): void {
    const error = toAppError(err);
    if (!(err instanceof AppError)) this.deps.log.error({ err, event, userId: socket.data.userId }, 'handler failed');
    else if (error.status >= 500) this.deps.log.error({ err: err.cause ?? err, event }, 'dependency failed');
    this.deps.metrics.errorAnswered(error.code);
    const wire = error.toWire();
    if (ack) return ack({ success: false, error: wire });
    if (spec?.failure) {
      // Failure events are family-specific names; the protocol module fixes their payloads.
      (socket.emit as (ev: string, payload: unknown) => boolean)(spec.failure.event, spec.failure.payload(wire, raw));
    } else {
      socket.emit('error', { message: error.message, code: error.code, event: event.slice(0, 64), timestamp: new Date(this.deps.clock.now()).toISOString() });
    }
    this.deps.metrics.eventSent(spec?.failure?.event ?? 'error');
  }
}
