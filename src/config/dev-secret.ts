import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { withJwtSecret, type Config } from './config.ts';

/**
 * Development only: with no JWT_SECRET (and no public key), a secret is
 * generated once and kept in DATA_DIR so tokens survive restarts and
 * `livegate token` signs with the same key. With DATA_DIR=memory it lives
 * for one process.
 */
export async function resolveDevSecret(config: Config): Promise<{ config: Config; generated: boolean; path?: string }> {
  if (config.auth.jwtSecret || config.auth.publicKeyPem || config.auth.jwksUrl) return { config, generated: false };
  if (config.env === 'production') throw new Error('JWT_SECRET is required in production');
  if (config.storage.dataDir === 'memory') return { config: withJwtSecret(config, randomBytes(32).toString('base64url')), generated: true };
  const path = join(config.storage.dataDir, 'dev-jwt-secret');
  let secret = await readFile(path, 'utf8').then((s) => s.trim()).catch(() => '');
  if (secret.length < 32) {
    secret = randomBytes(32).toString('base64url');
    await mkdir(config.storage.dataDir, { recursive: true });
    await writeFile(path, secret + '\n', { mode: 0o600 });
  }
  return { config: withJwtSecret(config, secret), generated: true, path };
}
