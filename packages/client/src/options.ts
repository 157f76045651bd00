import type { ManagerOptions, SocketOptions } from 'socket.io-client';
import type { LivegateError } from './errors.ts';
import type { TokenProvider } from './token.ts';

export interface ClientOptions {
  /** The gateway, e.g. `https://rides.example.com`. */
  url: string;
  /** A JWT, or a function returning a fresh one: called at connect and `refreshLeadMs` before each token's `exp`. */
  token: TokenProvider;
  /** Resume position from an earlier session (e.g. kept in storage); `client.lastSeq` is the current one. */
  lastSeq?: number;
  /** Refresh this long before `exp` (default 30 s; a shorter-lived token halfway through what is left). */
  refreshLeadMs?: number;
  /** How long an emit waits for its acknowledgement once sent (default 10 s), then rejects with `TIMEOUT`. */
  ackTimeoutMs?: number;
  /** Emits made while disconnected: at most `max` wait (default 100), each at most `timeoutMs` (default 30 s). */
  offlineQueue?: { max?: number; timeoutMs?: number };
  /** An emit refused with `RATE_LIMIT_EXCEEDED` is sent again after `retryAfterMs`, at most this many times (default 2). */
  rateLimitRetries?: number;
  /** Reconnect delays: exponential from `baseMs` (default 500) to `maxMs` (default 15 s), with jitter. */
  reconnect?: { baseMs?: number; maxMs?: number };
  /** Socket.IO transports (default websocket, then polling). */
  transports?: ('websocket' | 'polling')[];
  /** Connect at once (default true); otherwise call `connect()`. */
  autoConnect?: boolean;
  /** The stream position asked for is older than the server keeps: reload the app's state. */
  onRecoveryIncomplete?: (info: { oldestSeq: number; lastSeq: number | undefined }) => void;
  /** Connection-level failures: a refused handshake, a failed token refresh. The client keeps retrying unless the token is a fixed string that was refused. */
  onError?: (error: LivegateError) => void;
  /** Passed to socket.io-client as is (advanced: `path`, `extraHeaders` in Node…). */
  socket?: Partial<ManagerOptions & SocketOptions>;
}

export const DEFAULTS = {
  refreshLeadMs: 30_000,
  ackTimeoutMs: 10_000,
  queueMax: 100,
  queueTimeoutMs: 30_000,
  rateLimitRetries: 2,
  reconnectBaseMs: 500,
  reconnectMaxMs: 15_000,
} as const;

export type ConnectionStatus = 'connecting' | 'connected' | 'disconnected' | 'closed';
