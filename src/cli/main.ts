import { ConfigError, loadConfig, type Config } from '../config/index.ts';
import { parseCommandArgs, UsageError, type ParsedValues } from './args.ts';
import { COMMANDS, isCommandName, overview, type CommandName } from './commands.ts';
import { StartupError } from './startup-error.ts';

/** A refused command line: one line naming the problem and where the help is, exit 2 (no usage dump). */
function refuse(problem: string, helpCommand: string): number {
  process.stderr.write(`livegate: ${problem} (see '${helpCommand}')\n`);
  return 2;
}

function say(text: string): number {
  process.stdout.write(text + '\n');
  return 0;
}

/** `livegate <command> --help`; the benchmark runner lists its own scenarios. */
async function helpFor(command: CommandName): Promise<number> {
  if (command === 'bench') return (await import('./bench.ts')).bench(['--help']);
  return say(COMMANDS[command].help);
}

/** Runs one CLI command; returns the process exit code. Help and usage errors need no configuration. */
export async function runCli(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h') return say(overview());
  if (command === 'help') {
    const [topic, ...extra] = rest;
    if (topic === undefined) return say(overview());
    if (!isCommandName(topic)) return refuse(`unknown command '${topic}'`, 'livegate --help');
    if (extra.length) return refuse(`help takes one command, got '${extra.join(' ')}'`, 'livegate --help');
    return helpFor(topic);
  }
  if (!isCommandName(command)) return refuse(command.startsWith('-') ? `unknown option '${command}'` : `unknown command '${command}'`, 'livegate --help');

  let flags: ParsedValues;
  try {
    flags = parseCommandArgs(rest, COMMANDS[command].options, 'positionals' in COMMANDS[command]).values;
  } catch (err) {
    if (err instanceof UsageError) return refuse(`${command}: ${err.message}`, `livegate ${command} --help`);
    throw err;
  }
  if (flags.help) return helpFor(command);
  // The suite runs in its own process and reads no gateway configuration.
  if (command === 'bench') return (await import('./bench.ts')).bench(rest);

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
  try {
    // Loaded on demand: `token` and `help` need none of the server's modules.
    switch (command) {
      case 'start':
        return await (await import('./start.ts')).start(config, flags);
      case 'token':
        return await (await import('./token.ts')).token(config, flags);
      case 'migrate':
        return await (await import('./migrate.ts')).migrateOnly(config);
      case 'demo':
        return await (await import('./demo.ts')).demo(config, flags);
    }
  } catch (err) {
    if (err instanceof UsageError) return refuse(err.message, `livegate ${command} --help`);
    if (err instanceof StartupError) {
      process.stderr.write(`livegate: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}
