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
 * When to refresh a token that expires at `expiresAt`: `leadMs` before; a
 * token that lives less than that is refreshed halfway through what is left
 * (not at once, which would loop on short tokens); an expired one at once.
 */
export function refreshDelay(expiresAt: number, now: number, leadMs: number): number {
  const left = expiresAt - now;
  if (left <= 0) return 0;
  return left > leadMs ? left - leadMs : left / 2;
}
