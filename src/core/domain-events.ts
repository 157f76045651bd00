import type { Logger } from './logger.ts';

/** The publishing half of a module's bus: what a domain module is given. */
export interface Publisher<M> {
  publish<K extends keyof M>(type: K, payload: M[K]): void;
}

/** The subscribing half of a module's bus: what another family or the delivery layer is given. */
export interface EventSource<M> {
  on<K extends keyof M>(type: K, fn: (payload: M[K]) => void): void;
}

/**
 * In-process bus on which domain modules report what happened. Domain modules
 * know nothing about sockets; the delivery layer subscribes and turns events
 * into emits. Handlers run synchronously in subscription order; a throwing
 * subscriber is logged and does not stop the others.
 */
export class DomainEvents<M extends { [K in keyof M]: unknown }> implements EventSource<M>, Publisher<M> {
  private readonly subscribers = new Map<keyof M, Array<(payload: never) => void>>();

  constructor(private readonly log: Logger) {}

  on<K extends keyof M>(type: K, fn: (payload: M[K]) => void): void {
    const list = this.subscribers.get(type) ?? [];
    list.push(fn as (payload: never) => void);
    this.subscribers.set(type, list);
  }

  publish<K extends keyof M>(type: K, payload: M[K]): void {
    for (const fn of this.subscribers.get(type) ?? []) {
      try {
        (fn as (p: M[K]) => void)(payload);
      } catch (err) {
        this.log.error({ err, type }, 'domain event subscriber failed');
      }
    }
  }
}
