import { io, type Socket } from 'socket.io-client';
import { Backoff } from './backoff.ts';
import { LivegateError } from './errors.ts';
import type { AckData, EventHandler, EventName, RequestArgs, RequestName } from './events.ts';
import type { ErrorCode } from './generated/protocol.ts';
import { Listeners } from './listeners.ts';
import { OfflineQueue, type PendingRequest } from './offline-queue.ts';
import { DEFAULTS, type ClientOptions, type ConnectionStatus } from './options.ts';
import { SeqTracker, seqOf } from './seq-tracker.ts';
import { refreshDelay, resolveToken, tokenExpiry } from './token.ts';

type WireAnswer = { success: true; data: unknown } | { success: false; error: { code: ErrorCode; message: string; details?: Record<string, unknown> } };
type ConnectErrorData = { code?: ErrorCode; message?: string; retryAfterMs?: number };
const AUTH_CODES: readonly string[] = ['AUTH_FAILED', 'TOKEN_EXPIRED'];

/**
 * A typed connection to a Livegate gateway over Socket.IO: `emit` resolves
 * with the acknowledgement's data or rejects with a `LivegateError`; `on`
 * takes server events. It refreshes the token before expiry, reconnects with
 * backoff and jitter, resumes the durable stream from `lastSeq`, queues emits
 * made while offline and retries rate-limited ones.
 */
export class LivegateClient {
  private readonly socket: Socket;
  private readonly listeners = new Listeners<(payload: never) => void>();
  private readonly statusListeners = new Set<(status: ConnectionStatus) => void>();
  private readonly seq: SeqTracker;
  private readonly queue: OfflineQueue;
  private readonly backoff: Backoff;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private token: string | undefined;
  private tokenRefused = false;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private currentStatus: ConnectionStatus = 'disconnected';
  private authenticatedUser: { userId: string; role: string } | undefined;

  constructor(private readonly options: ClientOptions) {
    this.seq = new SeqTracker(options.lastSeq);
    this.queue = new OfflineQueue(options.offlineQueue?.max ?? DEFAULTS.queueMax, options.offlineQueue?.timeoutMs ?? DEFAULTS.queueTimeoutMs);
    this.backoff = new Backoff(options.reconnect?.baseMs ?? DEFAULTS.reconnectBaseMs, options.reconnect?.maxMs ?? DEFAULTS.reconnectMaxMs);
    this.socket = io(options.url, {
      transports: options.transports ?? ['websocket', 'polling'],
      ...options.socket,
      // The client runs its own reconnect loop: one place decides on backoff, fresh tokens and refused handshakes.
      reconnection: false,
      autoConnect: false,
      // Called at every (re)connect: the current token and the stream position to resume from.
      auth: (cb) => {
        this.handshakeToken().then(
          (token) => cb({ token, ...(this.seq.lastSeq === undefined ? {} : { lastSeq: this.seq.lastSeq }) }),
          (err: unknown) => {
            this.fail(new LivegateError('AUTH_FAILED', `token provider failed: ${err instanceof Error ? err.message : String(err)}`));
            cb({});
          },
        );
      },
    });
    this.socket.on('connect', () => this.onConnect());
    this.socket.on('disconnect', (reason) => this.onDisconnect(reason));
    this.socket.on('connect_error', (err: Error & { data?: ConnectErrorData }) => this.onConnectError(err));
    this.socket.onAny((event: string, payload: unknown, meta: unknown) => this.onEvent(event, payload, meta));
    if (options.autoConnect !== false) this.connect();
  }

  /** The highest durable-stream position delivered; sent on every reconnect so nothing is missed or repeated. */
  get lastSeq(): number | undefined {
    return this.seq.lastSeq;
  }

  get status(): ConnectionStatus {
    return this.currentStatus;
  }

  /** Who the gateway authenticated this connection as (after the first connect). */
  get user(): { userId: string; role: string } | undefined {
    return this.authenticatedUser;
  }

  /** Emits waiting for a connection. */
  get queued(): number {
    return this.queue.size;
  }

  connect(): void {
    if (this.currentStatus === 'closed' || this.socket.connected) return;
    this.setStatus('connecting');
    this.socket.connect();
  }

  /**
   * Sends a client→server event and resolves with its acknowledgement's data.
   * Rejects with a `LivegateError`: the gateway's code (`VALIDATION_ERROR`,
   * `FORBIDDEN`, …), or `OFFLINE_QUEUE_FULL`, `TIMEOUT`, `CLOSED`.
   */
  emit<E extends RequestName>(event: E, ...args: RequestArgs<E>): Promise<AckData<E>> {
    return new Promise<AckData<E>>((resolve, reject) => {
      const request: PendingRequest = { event, args, resolve: resolve as (data: unknown) => void, reject, retries: 0 };
      this.dispatch(request);
    });
  }

  /** Listens to a server→client event; returns a function that stops listening. */
  on<E extends EventName>(event: E, handler: EventHandler<E>): () => void {
    return this.listeners.add(event, handler as (payload: never) => void);
  }

  off<E extends EventName>(event: E, handler: EventHandler<E>): void {
    this.listeners.remove(event, handler as (payload: never) => void);
  }

  /** Listens to connection status changes; returns a function that stops listening. */
  onStatus(handler: (status: ConnectionStatus) => void): () => void {
    this.statusListeners.add(handler);
    return () => this.statusListeners.delete(handler);
  }

  /**
   * Disconnects until `connect()` (an app going to the background): no
   * reconnect attempts meanwhile; emits wait in the offline queue, and the
   * next connect resumes from `lastSeq`.
   */
  disconnect(): void {
    if (this.currentStatus === 'closed') return;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.socket.disconnect();
    this.setStatus('disconnected');
  }

  /** Disconnects for good; waiting emits reject with `CLOSED`. */
  close(): void {
    if (this.currentStatus === 'closed') return;
    this.setStatus('closed');
    clearTimeout(this.refreshTimer);
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.queue.rejectAll(new LivegateError('CLOSED', 'the client was closed'));
    this.socket.close();
  }

  private dispatch(request: PendingRequest): void {
    if (this.currentStatus === 'closed') return request.reject(new LivegateError('CLOSED', 'the client was closed'));
    if (!this.socket.connected) return this.queue.add(request);
    void this.send(request);
  }

  private async send(request: PendingRequest): Promise<void> {
    const timeoutMs = this.options.ackTimeoutMs ?? DEFAULTS.ackTimeoutMs;
    let answer: WireAnswer;
    try {
      answer = (await this.socket.timeout(timeoutMs).emitWithAck(request.event, ...request.args)) as WireAnswer;
    } catch {
      return request.reject(new LivegateError('TIMEOUT', `no acknowledgement for ${request.event} within ${timeoutMs} ms`));
    }
    if (answer.success) return request.resolve(answer.data);
    const error = LivegateError.fromWire(answer.error);
    if (error.code === 'RATE_LIMIT_EXCEEDED' && request.retries < (this.options.rateLimitRetries ?? DEFAULTS.rateLimitRetries)) {
      request.retries += 1;
      return this.later(error.retryAfterMs ?? 1000, () => this.dispatch(request));
    }
    request.reject(error);
  }

  private onEvent(event: string, payload: unknown, meta: unknown): void {
    if (event === 'authenticated') this.authenticatedUser = payload as { userId: string; role: string };
    if (event === 'recovery:incomplete') {
      const oldestSeq = (payload as { oldestSeq: number }).oldestSeq;
      this.options.onRecoveryIncomplete?.({ oldestSeq, lastSeq: this.seq.lastSeq });
    }
    if (!this.seq.accept(seqOf(payload, meta))) return;
    this.listeners.emit(event, payload as never);
  }

  private onConnect(): void {
    this.backoff.reset();
    this.setStatus('connected');
    this.scheduleRefresh();
    for (const request of this.queue.drain()) void this.send(request);
  }

  private onDisconnect(reason: string): void {
    clearTimeout(this.refreshTimer);
    if (this.currentStatus === 'closed') return;
    this.setStatus('disconnected');
    // A kick from the server (token expired, suspended, replaced) means the next handshake needs a fresh token.
    if (reason === 'io server disconnect') this.token = undefined;
    if (reason !== 'io client disconnect') this.reconnectLater();
  }

  private onConnectError(err: Error & { data?: ConnectErrorData }): void {
    if (this.currentStatus === 'closed') return;
    const code = err.data?.code;
    const error = code ? LivegateError.fromWire({ code, message: err.data?.message ?? err.message, retryAfterMs: err.data?.retryAfterMs }) : undefined;
    if (error) this.fail(error);
    this.setStatus('disconnected');
    if (code && AUTH_CODES.includes(code)) {
      // A fixed token the server refused will be refused again: stop instead of hammering the gateway.
      if (typeof this.options.token === 'string') return;
      this.token = undefined;
      this.tokenRefused = true;
    }
    this.reconnectLater(error?.retryAfterMs);
  }

  private reconnectLater(atLeastMs = 0): void {
    this.later(Math.max(atLeastMs, this.backoff.next()), () => this.connect());
  }

  /** The token for the next handshake: the cached one unless it is refused, gone or about to expire. */
  private async handshakeToken(): Promise<string> {
    const expiresAt = this.token === undefined ? undefined : tokenExpiry(this.token);
    const stale = expiresAt !== undefined && expiresAt - Date.now() < this.refreshLeadMs();
    if (this.token === undefined || stale || this.tokenRefused) {
      this.token = await resolveToken(this.options.token);
      this.tokenRefused = false;
    }
    return this.token;
  }

  private scheduleRefresh(): void {
    clearTimeout(this.refreshTimer);
    const expiresAt = this.token === undefined ? undefined : tokenExpiry(this.token);
    if (expiresAt === undefined || typeof this.options.token === 'string') return;
    this.refreshTimer = setTimeout(() => void this.refresh(), refreshDelay(expiresAt, Date.now(), this.refreshLeadMs()));
  }

  /** Fetches a fresh token and hands it to the live connection (`auth:refresh`), so the server does not disconnect at `exp`. */
  private async refresh(): Promise<void> {
    try {
      const token = await resolveToken(this.options.token);
      const answer = (await this.socket.timeout(this.options.ackTimeoutMs ?? DEFAULTS.ackTimeoutMs).emitWithAck('auth:refresh', { token })) as WireAnswer;
      if (!answer.success) throw LivegateError.fromWire(answer.error);
      this.token = token;
    } catch (err) {
      this.fail(err instanceof LivegateError ? err : new LivegateError('TIMEOUT', `token refresh failed: ${err instanceof Error ? err.message : String(err)}`));
      // Try again shortly; if `exp` passes first, the server disconnects and the reconnect fetches a token.
      if (this.socket.connected) this.refreshTimer = setTimeout(() => void this.refresh(), Math.min(5000, this.refreshLeadMs() / 2));
      return;
    }
    this.scheduleRefresh();
  }

  private refreshLeadMs(): number {
    return this.options.refreshLeadMs ?? DEFAULTS.refreshLeadMs;
  }

  private later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  private fail(error: LivegateError): void {
    this.options.onError?.(error);
  }

  private setStatus(status: ConnectionStatus): void {
    if (this.currentStatus === status) return;
    this.currentStatus = status;
    for (const handler of [...this.statusListeners]) handler(status);
  }
}

/** Opens a typed connection to a Livegate gateway (see `ClientOptions`). */
export function createClient(options: ClientOptions): LivegateClient {
  return new LivegateClient(options);
}
