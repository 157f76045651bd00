import { signToken } from '../auth/token-signer.ts';
import { resolveDevSecret } from '../config/dev-secret.ts';
import { ConfigError, loadConfig, type Config } from '../config/index.ts';
import { ROLES, type Role } from '../protocol/roles.ts';
import { parseFlags } from './args.ts';

const USAGE = `Usage: livegate <command>
  start [--workers N]                               run the gateway
  token --sub ID --role ROLE [--name N] [--ttl 1h]  print a signed JWT (HS256, configured secret)
  migrate                                           apply database migrations and exit
  bench [--quick] [scenario ...]                    run the benchmark suite (bench --help lists scenarios)
Configuration comes from the environment; see README.md.`;

/** "90" (seconds), "30s", "15m", "1h", "7d". jose takes more ("-1h", "1h ago") but throws on the rest. */
const TTL = /^[1-9]\d*[smhd]?$/;

async function token(config: Config, flags: Record<string, string | true>): Promise<number> {
  const { sub, role, name, ttl } = flags;
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 128 || typeof role !== 'string' || !ROLES.includes(role as Role)) {
    process.stderr.write(`token needs --sub ID (1-128 characters) and --role (${ROLES.join('|')})\n`);
    return 2;
  }
  if (ttl !== undefined && (typeof ttl !== 'string' || !TTL.test(ttl))) {
    process.stderr.write('--ttl takes a positive lifetime such as 90 (seconds), 30s, 15m, 1h or 7d\n');
    return 2;
  }
  const resolved = await resolveDevSecret(config);
  if (!resolved.config.auth.jwtSecret) {
    process.stderr.write('token signs with JWT_SECRET; none is configured (asymmetric keys are verified, not signed, here)\n');
    return 2;
  }
  const jwt = await signToken(resolved.config.auth.jwtSecret, {
    sub, role: role as Role, ...(typeof name === 'string' ? { name } : {}), ttl: ttl === undefined ? '1h' : /^\d+$/.test(ttl) ? Number(ttl) : ttl,
    ...(config.auth.issuer ? { issuer: config.auth.issuer } : {}), ...(config.auth.audience ? { audience: config.auth.audience } : {}),
  });
  process.stdout.write(jwt + '\n');
  return 0;
}

async function migrateOnly(config: Config): Promise<number> {
  const { migrate, openDatabase } = await import('../storage/index.ts');
  const db = await openDatabase(config.storage);
  try {
    const applied = await migrate(db);
    process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n');
    return 0;
  } finally {
    await db.close();
  }
}

const COMMANDS = ['start', 'token', 'migrate'] as const;
type Command = (typeof COMMANDS)[number];
const isCommand = (c: string | undefined): c is Command => COMMANDS.includes(c as Command);

/** Runs one CLI command; returns the process exit code. */
export async function runCli(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  // The suite runs in its own process and reads no gateway configuration.
  if (command === 'bench') return (await import('./bench.ts')).bench(rest);
  // Usage needs no configuration: answer it even when the environment is invalid.
  if (!isCommand(command)) {
    const help = command === undefined || command === 'help' || command === '--help' || command === '-h';
    if (!help) process.stderr.write(`Unknown command: ${command}\n`);
    (help ? process.stdout : process.stderr).write(USAGE + '\n');
    return help ? 0 : 2;
  }
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
      // Loaded on demand: `token` and `help` need none of the server's modules.
      return (await import('./start.ts')).start(config, flags);
    case 'token':
      return token(config, flags);
    case 'migrate':
      return migrateOnly(config);
  }
}
