import { ROLES } from '../protocol/roles.ts';
import type { OptionSpecs } from './args.ts';

/** One `livegate` command: its line in the overview, its `--help` text and its options. */
export interface CommandSpec {
  readonly synopsis: string;
  readonly summary: string;
  readonly help: string;
  readonly options: OptionSpecs;
  readonly positionals?: boolean;
}

const CONFIG_NOTE = 'Configuration comes from the environment (PORT, DATA_DIR, DATABASE_URL, REDIS_URL, JWT_SECRET, …); see README.md.';

export const COMMANDS = {
  start: {
    synopsis: 'start [--workers N]',
    summary: 'run the gateway',
    help: `Usage: livegate start [--workers N]

Runs the gateway: Socket.IO and the HTTP API on PORT/HOST, storage in
DATABASE_URL (PostgreSQL) or DATA_DIR (embedded PGlite), REDIS_URL to scale out.
Stops gracefully on SIGTERM or SIGINT.

Options:
  --workers N   N worker processes behind one port (1-64; N > 1 needs DATABASE_URL)
  -h, --help    show this help

${CONFIG_NOTE}`,
    options: { workers: { type: 'string' } },
  },
  token: {
    synopsis: 'token --sub ID --role ROLE [--name N] [--ttl 1h]',
    summary: 'print a signed JWT (HS256, configured secret)',
    help: `Usage: livegate token --sub ID --role ROLE [--name N] [--ttl 1h]

Prints a JWT signed with JWT_SECRET (HS256), or in development with the
secret generated in DATA_DIR. Asymmetric keys are verified, not signed, here.

Options:
  --sub ID      the user id (1-128 characters)
  --role ROLE   ${ROLES.join(', ')}
  --name N      display name claim
  --ttl T       lifetime: 90 (seconds), 30s, 15m, 1h or 7d (default 1h)
  -h, --help    show this help

${CONFIG_NOTE}`,
    options: { sub: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' }, ttl: { type: 'string' } },
  },
  migrate: {
    synopsis: 'migrate',
    summary: 'apply database migrations and exit',
    help: `Usage: livegate migrate

Applies pending migrations to DATABASE_URL, or to the PGlite database in
DATA_DIR, prints what it applied and exits.

Options:
  -h, --help    show this help

${CONFIG_NOTE}`,
    options: {},
  },
  demo: {
    synopsis: 'demo [--url URL] [--drivers N] [--riders N] [--speed X] [--duration S]',
    summary: 'simulated drivers, riders and vehicles for the dashboard',
    help: `Usage: livegate demo [options]

A living city on a gateway, through the real protocol: drivers driving the
streets around --center, riders requesting trips that drivers accept, drive,
start and complete, wallet and cash payments, a vehicle reporting low fuel,
geofence crossings and now and then an emergency alert. One progress line;
Ctrl-C (SIGINT/SIGTERM) stops it cleanly. When nothing answers at a local
--url, a gateway is started in this process and stopped at the end.
Drivers' and riders' tokens are signed with JWT_SECRET (or the development
secret in DATA_DIR), like \`livegate token\`.

Options:
  --url URL        the gateway (default http://127.0.0.1:PORT)
  --token JWT      admin or service token for the HTTP calls (default: signed here)
  --drivers N      drivers, each with a vehicle (default 20)
  --riders N       riders, each with a credited wallet (default 10)
  --center LAT,LNG the city centre (default 15.5007,32.5599)
  --speed X        simulated seconds per real second (default 5)
  --max-kmh K      cap on a vehicle's real speed; keep it below the gateway's
                   LOCATION_MAX_SPEED_KMH (default 200)
  --seed N         the same seed gives the same city, drivers and trips (default 1)
  --duration S     stop by itself after S seconds
  -h, --help       show this help

${CONFIG_NOTE}`,
    options: {
      url: { type: 'string' }, token: { type: 'string' }, drivers: { type: 'string' }, riders: { type: 'string' }, center: { type: 'string' },
      speed: { type: 'string' }, 'max-kmh': { type: 'string' }, seed: { type: 'string' }, duration: { type: 'string' },
    },
  },
  bench: {
    synopsis: 'bench [--quick] [scenario ...]',
    summary: 'run the benchmark suite (bench --help lists scenarios)',
    // `bench --help` is answered by the runner, which lists the scenarios.
    help: '',
    // The runner's options (bench/run.ts), checked here too so a typo gets the same one-line answer as the other commands.
    options: {
      quick: { type: 'boolean' }, full: { type: 'boolean' }, list: { type: 'boolean' }, verbose: { type: 'boolean', short: 'v' },
      'write-docs': { type: 'boolean' }, out: { type: 'string' }, timeout: { type: 'string' }, script: { type: 'string', multiple: true },
    },
    positionals: true,
  },
} as const satisfies Record<string, CommandSpec>;

export type CommandName = keyof typeof COMMANDS;

export const isCommandName = (name: string): name is CommandName => Object.hasOwn(COMMANDS, name);

/** `livegate --help`. */
export function overview(): string {
  const width = Math.max(...Object.values(COMMANDS).map((c) => c.synopsis.length)) + 2;
  return [
    'Usage: livegate <command> [options]',
    ...Object.values(COMMANDS).map((c) => `  ${c.synopsis.padEnd(width)}${c.summary}`),
    '',
    "`livegate <command> --help` (or `livegate help <command>`) describes one command.",
    CONFIG_NOTE,
  ].join('\n');
}
