/** Retries `fn` until it stops throwing or the time is up (instead of sleeps). */
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
