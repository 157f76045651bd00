/**
 * The one catalogue of error codes. Codes are stable: add new ones, never
 * recycle or rename. `status` is the HTTP status the code maps to.
 */
export const ERROR_CATALOGUE = {
  AUTH_FAILED: { status: 401, message: 'Invalid or expired token', howToSolve: 'Send a valid, unexpired JWT signed with the configured key.' },
  TOKEN_EXPIRED: { status: 401, message: 'Token expired', howToSolve: 'Send `auth:refresh { token }` before `exp`, or reconnect with a fresh token.' },
  VALIDATION_ERROR: { status: 400, message: 'Invalid payload', howToSolve: 'Fix the field named in `details`; see the event reference for the payload shape.' },
  FORBIDDEN: { status: 403, message: 'Not allowed', howToSolve: 'The sender\'s role or relation to the resource does not allow this action.' },
  ROOM_ACCESS_DENIED: { status: 403, message: 'Room access denied', howToSolve: 'Only members of a room may join it; rooms are authorised on the server.' },
  NOT_FOUND: { status: 404, message: 'Not found', howToSolve: 'Check the id.' },
  RATE_LIMIT_EXCEEDED: { status: 429, message: 'Too many requests', howToSolve: 'Slow down; `details.retryAfterMs` says when to try again.' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'Payload too large', howToSolve: 'Keep messages under MAX_PAYLOAD_BYTES.' },
  INVALID_STATE: { status: 409, message: 'Not allowed in the current state', howToSolve: 'Read the resource again; its state changed.' },
  TRIP_ALREADY_ACCEPTED: { status: 409, message: 'Trip already accepted by another driver', howToSolve: 'Nothing to do: another driver was first.' },
  OFFER_EXPIRED: { status: 409, message: 'Trip offer expired', howToSolve: 'Wait for the next offer.' },
  ACTIVE_TRIP_EXISTS: { status: 409, message: 'An active trip already exists', howToSolve: 'Finish or cancel the active trip first.' },
  INSUFFICIENT_FUNDS: { status: 402, message: 'Insufficient balance in your account', howToSolve: 'Top up the wallet or choose another payment method.' },
  PAYMENT_METHOD_UNAVAILABLE: { status: 422, message: 'Payment method unavailable', howToSolve: 'Choose one of `alternativePaymentMethods`.' },
  ALREADY_PAID: { status: 409, message: 'Trip already paid', howToSolve: 'Nothing to do.' },
  EMPTY_MESSAGE: { status: 400, message: 'Message is empty', howToSolve: 'Send 1 to 5000 characters.' },
  MESSAGE_TOO_LONG: { status: 400, message: 'Message too long', howToSolve: 'Send 1 to 5000 characters.' },
  INVALID_STATUS: { status: 400, message: 'Invalid status', howToSolve: 'Use one of the documented statuses.' },
  INTERNAL_ERROR: { status: 500, message: 'Internal server error', howToSolve: 'Retry; if it persists, the server log has the details (503: a dependency is down).' },
  UNKNOWN_EVENT: { status: 404, message: 'Unknown event', howToSolve: 'Check the event name against the event reference.' },
  CONFLICT: { status: 409, message: 'Conflict', howToSolve: 'The request conflicts with stored data (for example an idempotency key reused with another body).' },
  PAYMENT_DECLINED: { status: 402, message: 'Payment declined', howToSolve: 'The payment gateway refused the charge: choose one of `alternativePaymentMethods`.' },
  IDEMPOTENCY_CONFLICT: { status: 409, message: 'Idempotency key reused', howToSolve: 'An `Idempotency-Key` names one request: reuse it only to retry the same body (24 h); a request still in progress under the key answers this too — retry shortly.' },
  INVALID_SIGNATURE: { status: 401, message: 'Invalid webhook signature', howToSolve: 'Sign `${t}.${rawBody}` with HMAC-SHA256 and WEBHOOK_SECRET_<SOURCE>; send `Livegate-Signature: t=<unix seconds>,v1=<hex>` within 5 minutes of `t`.' },
} as const;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;
export const ERROR_CODES = Object.keys(ERROR_CATALOGUE) as ErrorCode[];

/** What a client sees of an error, on every transport. */
export interface WireError {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}
