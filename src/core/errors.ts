import { ERROR_CATALOGUE, type ErrorCode, type WireError } from '../protocol/errors.ts';

/** The one error type. Its code is stable; its message is safe to show to clients. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;
  /** HTTP status; defaults to the catalogue's, 503 for a dependency that is down. */
  readonly status: number;

  constructor(code: ErrorCode, message?: string, details?: Record<string, unknown>, status?: number) {
    super(message ?? ERROR_CATALOGUE[code].message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
    this.status = status ?? ERROR_CATALOGUE[code].status;
  }

  toWire(): WireError {
    return this.details ? { code: this.code, message: this.message, details: this.details } : { code: this.code, message: this.message };
  }
}

/** A dependency (database, Redis) is unreachable: 503 with INTERNAL_ERROR. */
export class UnavailableError extends AppError {
  constructor(what: string, cause?: unknown) {
    super('INTERNAL_ERROR', `${what} unavailable`, undefined, 503);
    this.cause = cause;
  }
}

/** Turns anything thrown into an AppError; unknown errors become INTERNAL_ERROR with no detail. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  return new AppError('INTERNAL_ERROR');
}

/** One schema issue, as zod reports it (path of keys and indexes). */
export interface SchemaIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/**
 * `VALIDATION_ERROR` for the first failing field of `subject` ("payload",
 * "request", "notification"): one message shape for events, HTTP and
 * domain input, with at most ten issues in the details.
 */
export function validationError(subject: string, issues: readonly SchemaIssue[], fieldPrefix = ''): AppError {
  const paths = issues.map((i) => i.path.map(String).join('.'));
  const field = [fieldPrefix, paths[0]].filter(Boolean).join('.');
  return new AppError('VALIDATION_ERROR', `Invalid ${subject}${field ? ` at ${field}` : ''}: ${issues[0]?.message ?? 'invalid'}`, {
    field,
    issues: issues.slice(0, 10).map((i, n) => ({ path: paths[n], message: i.message })),
  });
}
