/**
 * Retries `fn` until it stops throwing or the time is up (instead of sleeps). Give every `assert.ok` in `fn` a message:
 * without one, node:assert builds it by re-reading and parsing the test's source on each failed try,
 * which on tsx-transformed files took the CPU for minutes (a geofence test hung CI that way).
 */
export async function eventually<T>(fn: () => T | Promise<T>, timeoutMs = 3000, everyMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, everyMs));
    }
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * `promise`, or a rejection naming `what` once `timeoutMs` have passed: a
 * wait that cannot end must fail the test with a reason rather than run into
 * the runner's timeout in silence.
 */
export async function within<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
