import { Backoff } from './backoff.ts';
import { LivegateError } from './errors.ts';
import type { ErrorCode } from './generated/protocol.ts';
import type { EventHandler, EventName } from './events.ts';
import { Listeners } from './listeners.ts';
import { DEFAULTS } from './options.ts';
import { SeqTracker, seqOf } from './seq-tracker.ts';
import { SseParser, type SseMessage } from './sse-parser.ts';
import { resolveToken, type TokenProvider } from './token.ts';

export interface EventStreamOptions {
  /** The gateway, e.g. `https://rides.example.com` (the stream is `GET {url}/events`). */
  url: string;
  token: TokenProvider;
  lastSeq?: number;
  /** `['positions']` adds the positions of the user's active trip. */
  include?: string[];
  reconnect?: { baseMs?: number; maxMs?: number };
  /** `auto` (default): the platform's EventSource when it has one, else a fetch-stream reader (Node 20). */
  mode?: 'auto' | 'eventsource' | 'fetch';
  onRecoveryIncomplete?: (info: { oldestSeq: number; lastSeq: number | undefined }) => void;
  onError?: (error: LivegateError) => void;
}

interface MinimalEventSource {
  readonly readyState: number;
  addEventListener(type: string, listener: (event: { data: string; lastEventId: string }) => void): void;
  close(): void;
  onerror: ((event: unknown) => void) | null;
}
type EventSourceConstructor = new (url: string) => MinimalEventSource;
const CLOSED = 2;

/**
 * The receive-only fallback: the same server→client events over Server-Sent
 * Events (`GET /events`), for clients that cannot hold a socket. Resumes with
 * `Last-Event-ID` after every reconnect and drops replayed duplicates.
 */
export class LivegateEventStream {
  private readonly listeners = new Listeners<(payload: never) => void>();
  private readonly seq: SeqTracker;
  private readonly backoff: Backoff;
  private abort: AbortController | undefined;
  private source: MinimalEventSource | undefined;
  private readonly sourceNames = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  constructor(private readonly options: EventStreamOptions) {
    this.seq = new SeqTracker(options.lastSeq);
    this.backoff = new Backoff(options.reconnect?.baseMs ?? DEFAULTS.reconnectBaseMs, options.reconnect?.maxMs ?? DEFAULTS.reconnectMaxMs);
    void this.open();
  }

  get lastSeq(): number | undefined {
    return this.seq.lastSeq;
  }

  on<E extends EventName>(event: E, handler: EventHandler<E>): () => void {
    const stop = this.listeners.add(event, handler as (payload: never) => void);
    if (this.source) this.listen(this.source, event);
    return stop;
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.abort?.abort();
    this.source?.close();
  }

  private async open(): Promise<void> {
    if (this.closed) return;
    let token: string;
    try {
      token = await resolveToken(this.options.token);
    } catch (err) {
      this.options.onError?.(new LivegateError('AUTH_FAILED', `token provider failed: ${err instanceof Error ? err.message : String(err)}`));
      return this.retry();
    }
    const Source = (globalThis as { EventSource?: EventSourceConstructor }).EventSource;
    const mode = this.options.mode ?? 'auto';
    if (mode === 'eventsource' || (mode === 'auto' && Source)) return this.openEventSource(Source!, token);
    await this.openFetch(token);
  }

  private streamUrl(token: string | undefined): string {
    const url = new URL('/events', this.options.url);
    if (token) url.searchParams.set('token', token);
    if (this.seq.lastSeq !== undefined) url.searchParams.set('lastEventId', String(this.seq.lastSeq));
    if (this.options.include?.length) url.searchParams.set('include', this.options.include.join(','));
    return url.toString();
  }

  /** EventSource cannot set headers: the token travels in `?token=`. It reconnects by itself with `Last-Event-ID`; when it gives up (a refused token), a new one starts with a fresh token. */
  private openEventSource(Source: EventSourceConstructor, token: string): void {
    const source = new Source(this.streamUrl(token));
    this.source = source;
    this.sourceNames.clear();
    for (const name of [...this.listeners.names(), 'recovery:incomplete']) this.listen(source, name);
    source.addEventListener('open', () => this.backoff.reset());
    source.onerror = () => {
      if (source.readyState !== CLOSED) return;
      this.source = undefined;
      this.retry();
    };
  }

  /** EventSource dispatches by event name: one listener per name, however many handlers. */
  private listen(source: MinimalEventSource, name: string): void {
    if (this.sourceNames.has(name)) return;
    this.sourceNames.add(name);
    source.addEventListener(name, (e) => this.deliver({ id: e.lastEventId || undefined, event: name, data: e.data }));
  }

  /** Node 20 has no EventSource: read the response body as it arrives and parse it. */
  private async openFetch(token: string): Promise<void> {
    const abort = new AbortController();
    this.abort = abort;
    const headers: Record<string, string> = { accept: 'text/event-stream', authorization: `Bearer ${token}` };
    if (this.seq.lastSeq !== undefined) headers['last-event-id'] = String(this.seq.lastSeq);
    try {
      const res = await fetch(this.streamUrl(undefined), { headers, signal: abort.signal });
      if (!res.ok || !res.body) {
        const body = (await res.json().catch(() => ({}))) as { error?: { code?: ErrorCode; message?: string; details?: Record<string, unknown> } };
        const error = new LivegateError(body.error?.code ?? 'INTERNAL_ERROR', body.error?.message ?? `GET /events answered ${res.status}`, body.error?.details);
        this.options.onError?.(error);
        if (typeof this.options.token === 'string' && (error.code === 'AUTH_FAILED' || error.code === 'TOKEN_EXPIRED')) return;
        return this.retry(error.retryAfterMs);
      }
      this.backoff.reset();
      const parser = new SseParser((m) => this.deliver(m));
      const decoder = new TextDecoder();
      // getReader() rather than async iteration: not every platform's ReadableStream is iterable.
      const reader = res.body.getReader();
      for (let read = await reader.read(); !read.done; read = await reader.read()) parser.feed(decoder.decode(read.value, { stream: true }));
    } catch {
      // Aborted by close(), or the connection dropped: retry() decides.
    }
    this.retry();
  }

  private retry(atLeastMs = 0): void {
    if (this.closed) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.open(), Math.max(atLeastMs, this.backoff.next()));
  }

  /** Parses one message and hands it on, once: `id` is the stream position of durable events. */
  private deliver(message: SseMessage): void {
    let payload: unknown;
    try {
      payload = JSON.parse(message.data);
    } catch {
      return;
    }
    if (message.event === 'recovery:incomplete') {
      this.options.onRecoveryIncomplete?.({ oldestSeq: (payload as { oldestSeq: number }).oldestSeq, lastSeq: this.seq.lastSeq });
      return;
    }
    const seq = message.id !== undefined && /^\d+$/.test(message.id) ? Number(message.id) : seqOf(payload);
    if (!this.seq.accept(seq)) return;
    this.listeners.emit(message.event, payload as never);
  }
}

/** Opens a receive-only Server-Sent Events stream (see `EventStreamOptions`). */
export function connectEventStream(options: EventStreamOptions): LivegateEventStream {
  return new LivegateEventStream(options);
}
