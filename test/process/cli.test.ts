import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { decodeJwt, jwtVerify } from 'jose';
import { parseFlags } from '../../src/cli/args.ts';
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

  test('an unknown command prints the usage on stderr and exits 2', async () => {
    const res = await run(['frobnicate']);
    assert.equal(res.code, 2);
    assert.match(res.stderr, /Unknown command: frobnicate/);
    assert.match(res.stderr, /Usage: livegate <command>/);
    assert.equal(res.stdout, '');
  });

  test('help prints the usage on stdout and exits 0, even with an invalid environment', async () => {
    const res = await run(['help'], { PORT: 'not-a-port' });
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /Usage: livegate <command>/);
    for (const command of ['start', 'token', 'migrate']) assert.match(res.stdout, new RegExp(`^\\s+${command}\\b`, 'm'));
  });

  test('a command with an invalid environment exits 1 and lists the problems', async () => {
    const res = await run(['token', '--sub', 'u1', '--role', 'driver'], { PORT: 'abc', JWT_SECRET: 'short' });
    assert.equal(res.code, 1);
    assert.match(res.stderr, /PORT/);
    assert.match(res.stderr, /JWT_SECRET/);
    assert.equal(res.stdout, '');
  });
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
