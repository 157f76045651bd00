import { signToken } from '../auth/token-signer.ts';
import { resolveDevSecret } from '../config/dev-secret.ts';
import { ConfigError, loadConfig, type Config } from '../config/index.ts';
import { ROLES, type Role } from '../protocol/roles.ts';
import { migrate, openDatabase } from '../storage/index.ts';
import { parseFlags } from './args.ts';
import { start } from './start.ts';

const USAGE = `Usage: livegate <command>
  start [--workers N]                               run the gateway
  token --sub ID --role ROLE [--name N] [--ttl 1h]  print a signed JWT (HS256, configured secret)
  migrate                                           apply database migrations and exit
Configuration comes from the environment; see README.md.`;

async function token(config: Config, flags: Record<string, string | true>): Promise<number> {
  const { sub, role, name, ttl } = flags;
  if (typeof sub !== 'string' || typeof role !== 'string' || !ROLES.includes(role as Role)) {
    process.stderr.write(`token needs --sub ID and --role (${ROLES.join('|')})\n`);
    return 2;
  }
  const resolved = await resolveDevSecret(config);
  if (!resolved.config.auth.jwtSecret) {
    process.stderr.write('token signs with JWT_SECRET; none is configured (asymmetric keys are verified, not signed, here)\n');
    return 2;
  }
  const jwt = await signToken(resolved.config.auth.jwtSecret, {
    sub, role: role as Role, ...(typeof name === 'string' ? { name } : {}), ttl: typeof ttl === 'string' ? ttl : '1h',
    ...(config.auth.issuer ? { issuer: config.auth.issuer } : {}), ...(config.auth.audience ? { audience: config.auth.audience } : {}),
  });
  process.stdout.write(jwt + '\n');
  return 0;
}

async function migrateOnly(config: Config): Promise<number> {
  const db = await openDatabase(config.storage);
  try {
    const applied = await migrate(db);
    process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n');
    return 0;
  } finally {
    await db.close();
  }
}

/** Runs one CLI command; returns the process exit code. */
export async function runCli(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const flags = parseFlags(rest);
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(err.message + '\n');
      return 1;
    }
    throw err;
  }
  switch (command) {
    case 'start':
      return start(config);
    case 'token':
      return token(config, flags);
    case 'migrate':
      return migrateOnly(config);
    default:
      process.stdout.write(USAGE + '\n');
      return command === undefined || command === 'help' || command === '--help' ? 0 : 2;
  }
}
