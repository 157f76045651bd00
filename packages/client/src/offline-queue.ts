import { LivegateError } from './errors.ts';

/** One acknowledged emit waiting for, or on its way to, the gateway. */
export interface PendingRequest {
  readonly event: string;
  readonly args: readonly unknown[];
  resolve(data: unknown): void;
  reject(error: LivegateError): void;
  /** Rate-limit retries made so far. */
  retries: number;
}

/**
 * Emits made while disconnected, sent in order after the next connect. The
 * queue is bounded (a full queue rejects the new emit with
 * `OFFLINE_QUEUE_FULL`) and each entry waits at most `timeoutMs` (then
 * `TIMEOUT`): an app offline for an hour gets errors, not an hour-old burst.
 */
export class OfflineQueue {
  private readonly waiting = new Map<PendingRequest, ReturnType<typeof setTimeout>>();

  constructor(private readonly max: number, private readonly timeoutMs: number) {}

  get size(): number {
    return this.waiting.size;
  }

  add(request: PendingRequest): void {
    if (this.waiting.size >= this.max) {
      request.reject(new LivegateError('OFFLINE_QUEUE_FULL', `${this.max} requests already wait for a connection`));
      return;
    }
    const timer = setTimeout(() => {
      this.waiting.delete(request);
      request.reject(new LivegateError('TIMEOUT', `${request.event} waited ${this.timeoutMs} ms for a connection`));
    }, this.timeoutMs);
    this.waiting.set(request, timer);
  }

  /** Every waiting request, oldest first, leaving the queue empty. */
  drain(): PendingRequest[] {
    const all = [...this.waiting.keys()];
    for (const timer of this.waiting.values()) clearTimeout(timer);
    this.waiting.clear();
    return all;
  }

  /** Rejects everything still waiting (the client was closed). */
  rejectAll(error: LivegateError): void {
    for (const request of this.drain()) request.reject(error);
  }
}
