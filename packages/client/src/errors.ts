import type { ErrorCode } from './generated/protocol.ts';

/** Codes the client itself raises, beside the gateway's stable codes. */
export const CLIENT_ERROR_CODES = ['OFFLINE_QUEUE_FULL', 'TIMEOUT', 'CLOSED'] as const;
export type ClientErrorCode = (typeof CLIENT_ERROR_CODES)[number];

/**
 * The one error every client call rejects with: a gateway error (`code` from
 * the server's catalogue) or a client one (`OFFLINE_QUEUE_FULL`, `TIMEOUT`,
 * `CLOSED`). `retryAfterMs` is set for `RATE_LIMIT_EXCEEDED`.
 */
export class LivegateError extends Error {
  override readonly name = 'LivegateError';
  readonly code: ErrorCode | ClientErrorCode;
  readonly details: Record<string, unknown> | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(code: ErrorCode | ClientErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.code = code;
    this.details = details;
    const retry = details?.retryAfterMs;
    this.retryAfterMs = typeof retry === 'number' ? retry : undefined;
  }

  /** From the `error` of a failed acknowledgement (or a refused handshake's `err.data`). */
  static fromWire(error: { code: ErrorCode; message: string; details?: Record<string, unknown>; retryAfterMs?: number }): LivegateError {
    const details = error.details ?? (error.retryAfterMs === undefined ? undefined : { retryAfterMs: error.retryAfterMs });
    return new LivegateError(error.code, error.message, details);
  }
}
