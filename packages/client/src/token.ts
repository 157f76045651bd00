/** A token, or a function that returns a fresh one (called at every connect and before expiry). */
export type TokenProvider = string | (() => string | Promise<string>);

export async function resolveToken(provider: TokenProvider): Promise<string> {
  return typeof provider === 'string' ? provider : provider();
}

/** The `exp` claim of a JWT in epoch ms, or undefined when the token has none or is not a JWT. Not verified: the server does that. */
export function tokenExpiry(token: string): number | undefined {
  const part = token.split('.')[1];
  if (!part) return undefined;
  try {
    const json = atob(part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '='));
    const exp = (JSON.parse(json) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * When to refresh a token that expires at `expiresAt`: `leadMs` before, but
 * never later than 90% into a short token's remaining life, and not in the past.
 */
export function refreshDelay(expiresAt: number, now: number, leadMs: number): number {
  const left = expiresAt - now;
  return Math.max(0, Math.min(left - leadMs, left * 0.9));
}
