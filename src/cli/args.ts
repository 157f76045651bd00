import { parseArgs } from 'node:util';

/** A command's options, in `util.parseArgs` form. */
export type OptionSpecs = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

export type ParsedValues = Record<string, string | boolean | Array<string | boolean> | undefined>;

/** A command line the CLI refuses (exit 2). The message is one line. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * Strict parse of one command's arguments: an unknown option, an option
 * without its value or (unless allowed) a stray argument is a UsageError.
 * Every command takes `-h`/`--help`.
 */
export function parseCommandArgs(argv: string[], options: OptionSpecs, allowPositionals = false): { values: ParsedValues; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals });
    return { values: values as ParsedValues, positionals };
  } catch (err) {
    // Node's messages run over several lines ("argument is ambiguous.\nDid you forget…"): the first says it.
    const first = (err as Error).message.split('\n')[0]!.replace(/\. This command does not take positional arguments$/, '');
    throw new UsageError(first.replace(/\.$/, ''));
  }
}

/**
 * Lenient `--flag value` / `--flag=value` / `--switch` parser for the bench
 * scripts, which take open-ended tuning flags. The CLI's commands use
 * parseCommandArgs, which refuses what it does not know.
 */
export function parseFlags(argv: string[]): Record<string, string | true> {
  const out: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) continue;
    // Split at the first '=' only: `--name=a=b` is "a=b" (split('=', 2) would drop "=b").
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    const inline = eq === -1 ? undefined : arg.slice(eq + 1);
    const next = argv[i + 1];
    if (inline !== undefined) out[name] = inline;
    else if (next !== undefined && !next.startsWith('--')) out[name] = (i++, next);
    else out[name] = true;
  }
  return out;
}
