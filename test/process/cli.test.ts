import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { decodeJwt, jwtVerify } from 'jose';
import { parseCommandArgs, parseFlags, UsageError } from '../../src/cli/args.ts';
import { freePort } from '../helpers/ports.ts';
import { runCli, type CliProcess } from '../helpers/process.ts';

const SECRET = 'cli-test-secret-that-is-long-enough-0123456';

describe('livegate command line', () => {
  const children: CliProcess[] = [];
  const dirs: string[] = [];
  after(async () => {
    await Promise.all(children.map((c) => c.kill()));
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  /** Runs the CLI to completion. */
  async function run(args: string[], env: Record<string, string> = {}) {
    const child = runCli(args, { LOG_LEVEL: 'warn', ...env });
    children.push(child);
    const { code } = await child.exited;
    return { code, stdout: child.stdout(), stderr: child.stderr() };
  }

  test('token signs a JWT with the configured secret: sub, role and exp about --ttl ahead', async () => {
    const before = Math.floor(Date.now() / 1000);
    const res = await run(['token', '--sub', 'u1', '--role', 'driver', '--ttl', '10m', '--name=Ann=Lee'], { JWT_SECRET: SECRET });
    assert.equal(res.code, 0, res.stderr);
    const jwt = res.stdout.trim();
    assert.match(jwt, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    const claims = decodeJwt(jwt);
    assert.equal(claims.sub, 'u1');
    assert.equal(claims.role, 'driver');
    assert.equal(claims.name, 'Ann=Lee', 'a value may contain "="');
    const ttl = (claims.exp ?? 0) - before;
    assert.ok(ttl >= 595 && ttl <= 610, `exp ${ttl} s ahead`);
    await jwtVerify(jwt, new TextEncoder().encode(SECRET), { algorithms: ['HS256'] });
  });

  test('token --ttl in plain seconds', async () => {
    const res = await run(['token', '--sub', 'u2', '--role', 'admin', '--ttl', '90'], { JWT_SECRET: SECRET });
    assert.equal(res.code, 0, res.stderr);
    const claims = decodeJwt(res.stdout.trim());
    const ttl = (claims.exp ?? 0) - (claims.iat ?? 0);
    assert.equal(ttl, 90);
  });

  for (const [name, args] of [
    ['an unknown role', ['--sub', 'u1', '--role', 'superuser']],
    ['a missing --sub', ['--role', 'driver']],
    ['a missing role value', ['--sub', 'u1', '--role']],
    ['an unparseable --ttl', ['--sub', 'u1', '--role', 'driver', '--ttl', 'banana']],
    ['a negative --ttl', ['--sub', 'u1', '--role', 'driver', '--ttl', '-1h']],
  ] as const) {
    test(`token with ${name} exits 2 with a message and prints no token`, async () => {
      const res = await run(['token', ...args], { JWT_SECRET: SECRET });
      assert.equal(res.code, 2, res.stderr);
      assert.equal(res.stdout, '');
      assert.match(res.stderr, /--(role|sub|ttl)/);
      assert.doesNotMatch(res.stderr, /\n\s+at /, 'no stack trace');
    });
  }

  test('migrate applies the migrations to DATA_DIR, then says the database is up to date', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'livegate-migrate-'));
    dirs.push(dataDir);
    const first = await run(['migrate'], { DATA_DIR: dataDir });
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^applied: \d+_\w+/);
    assert.match(first.stdout, /001_users/);
    const second = await run(['migrate'], { DATA_DIR: dataDir });
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /up to date/);
  });

  /** Runs the CLI and fails (killing it) if it has not exited within `ms`: `start --help` must not serve. */
  async function runBriefly(args: string[], env: Record<string, string> = {}, ms = 20_000) {
    const child = runCli(args, { LOG_LEVEL: 'warn', ...env });
    children.push(child);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
    const outcome = await Promise.race([child.exited, timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      await child.kill();
      assert.fail(`livegate ${args.join(' ')} still running after ${ms} ms\nstdout: ${child.stdout()}\nstderr: ${child.stderr()}`);
    }
    return { code: outcome.code, stdout: child.stdout(), stderr: child.stderr() };
  }

  test('help prints the usage on stdout and exits 0, even with an invalid environment', async () => {
    for (const args of [['help'], ['--help'], ['-h'], []]) {
      const res = await runBriefly(args, { PORT: 'not-a-port' });
      assert.equal(res.code, 0, res.stderr);
      assert.match(res.stdout, /Usage: livegate <command>/);
      for (const command of ['start', 'token', 'migrate', 'bench']) assert.match(res.stdout, new RegExp(`^\\s+${command}\\b`, 'm'), `${command} listed`);
    }
  });

  for (const command of ['start', 'token', 'migrate']) {
    test(`${command} --help, ${command} -h and help ${command} print the command's help and exit 0 without doing anything`, async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'livegate-help-'));
      dirs.push(dataDir);
      // A free port and a real DATA_DIR: without the fix `start --help` serves and `migrate --help` migrates.
      const env = { DATA_DIR: dataDir, PORT: String(await freePort()), HOST: '127.0.0.1', JWT_SECRET: SECRET };
      for (const args of [[command, '--help'], [command, '-h'], ['help', command]]) {
        const res = await runBriefly(args, env);
        assert.equal(res.code, 0, `${args.join(' ')}: ${res.stderr}`);
        assert.match(res.stdout, new RegExp(`^Usage: livegate ${command}\\b`), args.join(' '));
        assert.match(res.stdout, /--help/);
        assert.equal(res.stderr, '');
      }
      assert.deepEqual(await readdir(dataDir), [], 'nothing written to DATA_DIR');
    });
  }

  test('bench --help and help bench list the scenarios and exit 0', async () => {
    for (const args of [['bench', '--help'], ['help', 'bench']]) {
      const res = await runBriefly(args);
      assert.equal(res.code, 0, res.stderr);
      assert.match(res.stdout, /idle/, args.join(' '));
    }
  });

  for (const [name, args, problem, pointer] of [
    ['an unknown command', ['frobnicate'], /unknown command 'frobnicate'/, /livegate --help/],
    ['an unknown top-level option', ['--verbose'], /unknown option '--verbose'/, /livegate --help/],
    ['help for an unknown command', ['help', 'frobnicate'], /unknown command 'frobnicate'/, /livegate --help/],
    ['an unknown start option', ['start', '--wrokers', '2'], /--wrokers/, /livegate start --help/],
    ['a stray start argument', ['start', 'now'], /'now'/, /livegate start --help/],
    ['an unknown migrate option', ['migrate', '--dry-run'], /--dry-run/, /livegate migrate --help/],
    ['an unknown token option', ['token', '--sub', 'u1', '--role', 'driver', '--rol', 'admin'], /--rol\b/, /livegate token --help/],
    ['an unknown bench option', ['bench', '--quik'], /--quik/, /livegate bench --help/],
  ] as const) {
    test(`${name} exits 2 with one line naming it and pointing to --help`, async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'livegate-badflag-'));
      dirs.push(dataDir);
      const res = await runBriefly([...args], { DATA_DIR: dataDir, PORT: String(await freePort()), HOST: '127.0.0.1', JWT_SECRET: SECRET });
      assert.equal(res.code, 2, res.stderr);
      assert.equal(res.stdout, '');
      assert.equal(res.stderr.trimEnd().split('\n').length, 1, `one line, got:\n${res.stderr}`);
      assert.match(res.stderr, problem);
      assert.match(res.stderr, pointer);
      assert.deepEqual(await readdir(dataDir), [], 'nothing written to DATA_DIR');
    });
  }

  test('a command with an invalid environment exits 1 and lists the problems', async () => {
    const res = await run(['token', '--sub', 'u1', '--role', 'driver'], { PORT: 'abc', JWT_SECRET: 'short' });
    assert.equal(res.code, 1);
    assert.match(res.stderr, /PORT/);
    assert.match(res.stderr, /JWT_SECRET/);
    assert.equal(res.stdout, '');
  });
});

describe('parseCommandArgs', () => {
  const TOKEN = { sub: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' } } as const;

  test('reads --flag value, --flag=value and -h', () => {
    assert.deepEqual({ ...parseCommandArgs(['--sub', 'u1', '--role=driver', '-h'], TOKEN).values }, { sub: 'u1', role: 'driver', help: true });
  });

  test('keeps everything after the first "=" of an inline value', () => {
    assert.deepEqual({ ...parseCommandArgs(['--name=a=b', '--sub='], TOKEN).values }, { name: 'a=b', sub: '' });
  });

  for (const [name, argv, message] of [
    ['an unknown option', ['--rol', 'x'], "Unknown option '--rol'"],
    ['an option missing its value', ['--sub'], "Option '--sub <value>' argument missing"],
    ['an option followed by another option', ['--role', '--sub', 'x'], "Option '--role' argument is ambiguous"],
    ['a stray argument', ['now'], "Unexpected argument 'now'"],
  ] as const) {
    test(`${name} is a one-line UsageError`, () => {
      assert.throws(() => parseCommandArgs([...argv], TOKEN), (err: Error) => err instanceof UsageError && err.message === message);
    });
  }
});
describe('parseFlags', () => {
  test('reads --flag value, --flag=value and bare switches', () => {
    assert.deepEqual(parseFlags(['--sub', 'u1', '--role=driver', '--verbose', '--ttl', '1h']), { sub: 'u1', role: 'driver', verbose: true, ttl: '1h' });
  });

  test('keeps everything after the first "=" of an inline value', () => {
    assert.deepEqual(parseFlags(['--name=a=b', '--empty=']), { name: 'a=b', empty: '' });
  });

  test('a flag followed by another flag is a switch', () => {
    assert.deepEqual(parseFlags(['--role', '--sub', 'x']), { role: true, sub: 'x' });
  });
});
