/**
 * A start-up failure the command line prints as one line, with no stack
 * trace, before exiting 1: a port, a DATA_DIR or a configured server that
 * cannot be used. The message names the problem and what to do about it;
 * URLs in it have their password masked (see redactUrl). Lower layers throw
 * their own errors (DataDirInUseError, RedisUnreachableError, …); the CLI
 * words them (preflight.ts).
 */
export class StartupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StartupError';
  }
}

/** `redis://user:secret@host` → `redis://user:***@host`, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '(unparsable URL)';
  }
}

/** Why a connection failed, in a few words: the system error code, else the first line of the message. */
export function connectFailureReason(err: unknown): string {
  const e = err as { code?: unknown; message?: unknown; errors?: unknown[] } | null;
  // A system error's code (ECONNREFUSED, ENOTFOUND) says it all; a server's own codes (SQLSTATE 28P01) do not.
  if (typeof e?.code === 'string' && /^E[A-Z]+$/.test(e.code)) return e.code;
  // Node's "happy eyeballs" connect reports every address it tried in an AggregateError.
  const inner = e?.errors?.find((x) => /^E[A-Z]+$/.test(String((x as { code?: unknown } | null)?.code))) as { code: string } | undefined;
  if (inner) return inner.code;
  return (typeof e?.message === 'string' && e.message ? e.message.split('\n')[0]! : String(err)).slice(0, 200);
}
