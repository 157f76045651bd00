import { resolve } from 'node:path';
import { signToken } from '../auth/token-signer.ts';
import { DEFAULT_DATA_DIR, type Config } from '../config/index.ts';

/**
 * How to get more tokens, only in a form that works: `livegate token` runs
 * in another process, so it can sign with the generated secret only when
 * that secret is kept in a DATA_DIR it reads too (named unless it is the
 * default). With DATA_DIR=memory the secret dies with this process.
 */
function moreTokens(config: Config, secretPath: string | undefined): string {
  if (!secretPath) return 'set JWT_SECRET (32+ chars) for start and token: with DATA_DIR=memory this secret lives only in this process';
  const dataDir = config.storage.dataDir === DEFAULT_DATA_DIR ? '' : `DATA_DIR=${JSON.stringify(resolve(config.storage.dataDir)).replace(/^"([^\s"'$`\\]*)"$/, '$1')} `;
  return `${dataDir}npx livegate token --sub ID --role passenger`;
}

/** Printed when no JWT_SECRET was set and one was generated: a working admin token and how to get more. */
export async function printDevBanner(config: Config, secretPath: string | undefined, port: number): Promise<void> {
  const base = `http://localhost:${port}`;
  const { jwtSecret, issuer, audience } = config.auth;
  // Signed as `livegate token` signs: with JWT_ISSUER / JWT_AUDIENCE set, the verifier requires them.
  const token = await signToken(jwtSecret!, {
    sub: 'dev-admin', role: 'admin', name: 'Development Admin', ttl: '12h', ...(issuer ? { issuer } : {}), ...(audience ? { audience } : {}),
  });
  process.stdout.write(
    [
      '',
      '  ************************************************************************',
      '  * DEVELOPMENT MODE: no JWT_SECRET set, using a generated secret' + (secretPath ? ` (${secretPath})` : ' (in memory)'),
      '  * Set JWT_SECRET (32+ chars) for anything but local development.',
      `  * Socket.IO + HTTP API:  ${base}`,
      `  * API reference:          ${base}/openapi.json`,
      `  * Admin token (12h):      ${token}`,
      `  * More tokens:            ${moreTokens(config, secretPath)}`,
      '  ************************************************************************',
      '',
    ].join('\n') + '\n',
  );
}
