import { envSchema, WEBHOOK_SECRET_ENV } from './schema.ts';

const KNOWN: readonly string[] = Object.keys(envSchema.shape);
const KNOWN_SET = new Set(KNOWN);

/**
 * Variables other programs set that sit within two edits of one of ours
 * (NODE_PATH and NODE_ENV share a prefix; REDIS_HOST/REDIS_PORT come from
 * Docker links and Kubernetes services). Listed so they are never "corrected".
 */
const SYSTEM = new Set([
  'PATH', 'HOME', 'USER', 'SHELL', 'TERM', 'LANG', 'PWD', 'OLDPWD', 'HOSTNAME', 'HOSTTYPE', 'TMPDIR', 'LOGNAME',
  'NODE_OPTIONS', 'NODE_PATH', 'NODE_DEBUG', 'NODE_EXTRA_CA_CERTS', 'NODE_TLS_REJECT_UNAUTHORIZED', 'NODE_NO_WARNINGS',
  'NODE_UNIQUE_ID', 'NODE_CHANNEL_FD', 'NODE_TEST_CONTEXT', 'NODE_VERSION', 'REDIS_HOST', 'REDIS_PORT', 'DATABASE_HOST', 'DATABASE_PORT',
]);

/** Shorter names are too easily someone else's (POST is one edit from PORT). */
const MIN_LENGTH = 5;
const MAX_DISTANCE = 2;

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours cost 1. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** A set variable that is not ours but looks like a misspelling of `known`. */
export interface UnknownEnv {
  readonly name: string;
  readonly known: string;
}

/**
 * Environment variables that look like Livegate's but are not (JWT_SECERT,
 * REDIS_ULR, CORS_ORIGIN): each with the known name it is closest to. A
 * misspelt variable is otherwise silently ignored and its default used.
 * Case is ignored when comparing, so jwt_secret points to JWT_SECRET.
 */
export function findUnknownEnv(source: Record<string, string | undefined> = process.env): UnknownEnv[] {
  const found: UnknownEnv[] = [];
  for (const name of Object.keys(source)) {
    if (KNOWN_SET.has(name) || WEBHOOK_SECRET_ENV.test(name) || SYSTEM.has(name) || name.length < MIN_LENGTH) continue;
    const upper = name.toUpperCase();
    let best: { known: string; distance: number } | undefined;
    for (const known of KNOWN) {
      // Lengths further apart than the limit cannot be within it.
      if (Math.abs(known.length - upper.length) > MAX_DISTANCE) continue;
      const distance = editDistance(upper, known);
      if (distance <= MAX_DISTANCE && (!best || distance < best.distance)) best = { known, distance };
    }
    if (best) found.push({ name, known: best.known });
  }
  return found;
}
