import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig, withJwtSecret, type Config } from '../../src/config/index.ts';

const SECRET = 'config-test-secret-that-is-long-enough-01';

/** The ConfigError `loadConfig(env)` throws (fails if it does not). */
function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    assert.ok(err instanceof ConfigError, `a ConfigError, got ${String(err)}`);
    return err.problems;
  }
  assert.fail(`loadConfig accepted ${JSON.stringify(env)}`);
}

/** Every object reachable from `value`, for the deep-freeze check. */
function objectsIn(value: unknown, path = 'config'): Array<[string, object]> {
  if (!value || typeof value !== 'object') return [];
  return [[path, value], ...Object.entries(value).flatMap(([k, v]) => objectsIn(v, `${path}.${k}`))];
}

describe('loadConfig', () => {
  test('defaults match INTERFACES.md', () => {
    const config = loadConfig({});
    assert.equal(config.env, 'development');
    assert.deepEqual(config.http, { port: 3000, host: '0.0.0.0', corsOrigins: ['http://localhost:3000'], trustProxy: [], metricsPublic: false });
    assert.equal(config.log.level, 'info');
    assert.equal(config.auth.jwtSecret, undefined);
    assert.equal(config.auth.allowAnonymous, false);
    assert.deepEqual(config.storage, { databaseUrl: undefined, poolSize: 10, dataDir: './data' });
    assert.equal(config.redisUrl, undefined);
    assert.deepEqual(config.limits.rates, {
      default: { points: 60, durationS: 10 },
      location: { points: 50, durationS: 10 },
      chat: { points: 30, durationS: 10 },
      auth: { points: 10, durationS: 60 },
    });
    assert.equal(config.shutdownDrainMs, 10_000);
    assert.match(config.nodeId, /.+-\d+$/);
  });

  test('reads the documented variables', () => {
    const config = loadConfig({
      NODE_ENV: 'production', PORT: '8080', HOST: '127.0.0.1', JWT_SECRET: SECRET, DATABASE_URL: 'postgres://u:p@db:5432/livegate',
      DATA_DIR: 'memory', REDIS_URL: 'redis://cache:6379', LOG_LEVEL: 'debug', JWT_ISSUER: 'https://issuer.test', JWT_AUDIENCE: 'livegate',
      NODE_ID: 'node-a', SHUTDOWN_DRAIN_MS: '1500', TRUST_PROXY: 'yes',
    });
    assert.equal(config.env, 'production');
    assert.equal(config.http.port, 8080);
    assert.equal(config.http.host, '127.0.0.1');
    assert.deepEqual(config.http.trustProxy, ['127.0.0.0/8', '::1']);
    assert.equal(config.auth.jwtSecret, SECRET);
    assert.equal(config.auth.issuer, 'https://issuer.test');
    assert.equal(config.auth.audience, 'livegate');
    assert.equal(config.storage.databaseUrl, 'postgres://u:p@db:5432/livegate');
    assert.equal(config.redisUrl, 'redis://cache:6379');
    assert.equal(config.log.level, 'debug');
    assert.equal(config.nodeId, 'node-a');
    assert.equal(config.shutdownDrainMs, 1500);
  });

  test('empty strings count as unset', () => {
    const config = loadConfig({ PORT: '', LOG_LEVEL: '', JWT_SECRET: '' });
    assert.equal(config.http.port, 3000);
    assert.equal(config.log.level, 'info');
    assert.equal(config.auth.jwtSecret, undefined);
  });

  test('lists every problem in one ConfigError', () => {
    const problems = problemsOf({ PORT: 'abc', LOG_LEVEL: 'loud', JWT_SECRET: 'short' });
    assert.equal(problems.length, 3, problems.join('\n'));
    for (const name of ['PORT', 'LOG_LEVEL', 'JWT_SECRET']) assert.ok(problems.some((p) => p.startsWith(`${name}:`)), `${name} in ${problems.join(' | ')}`);
    assert.throws(() => loadConfig({ PORT: 'abc', LOG_LEVEL: 'loud' }), (err: Error) => err.message.includes('PORT') && err.message.includes('LOG_LEVEL'));
  });

  test('a missing production secret is listed together with bad values, not after they are fixed', () => {
    const problems = problemsOf({ NODE_ENV: 'production', PORT: '70000', REDIS_URL: 'localhost:6379' });
    assert.equal(problems.length, 3, problems.join('\n'));
    for (const name of ['PORT', 'REDIS_URL', 'JWT_SECRET']) assert.ok(problems.some((p) => p.startsWith(`${name}`)), `${name} in ${problems.join(' | ')}`);
  });

  test('production needs JWT_SECRET, JWT_PUBLIC_KEY or JWKS_URL; development does not', () => {
    assert.match(problemsOf({ NODE_ENV: 'production' }).join('\n'), /JWT_SECRET: required in production/);
    assert.equal(loadConfig({ NODE_ENV: 'production', JWKS_URL: 'https://issuer.test/.well-known/jwks.json' }).auth.jwksUrl, 'https://issuer.test/.well-known/jwks.json');
    assert.equal(loadConfig({ NODE_ENV: 'development' }).auth.jwtSecret, undefined);
    assert.match(problemsOf({ JWT_PUBLIC_KEY: 'pem', JWKS_URL: 'https://issuer.test/jwks' }).join('\n'), /set one, not both/);
  });

  const badNumbers: Array<[string, string]> = [['PORT', 'abc'], ['PORT', ' '], ['PORT', '1e3'], ['PORT', '0x50'], ['PORT', '-1'], ['PORT', '65536'], ['PORT', '80.5'], ['SHUTDOWN_DRAIN_MS', 'soon']];
  for (const [name, value] of badNumbers) {
    test(`${name}=${JSON.stringify(value)} is refused`, () => {
      assert.ok(problemsOf({ [name]: value }).some((p) => p.startsWith(`${name}:`)), name);
    });
  }

  test('whole numbers may be surrounded by spaces', () => {
    assert.equal(loadConfig({ PORT: ' 8080 ' }).http.port, 8080);
    assert.equal(loadConfig({ PORT: '0' }).http.port, 0);
  });

  test('the result is deeply frozen', () => {
    const config: Config = loadConfig({ JWT_SECRET: SECRET, CORS_ORIGINS: 'https://a.test' });
    for (const [path, obj] of objectsIn(config)) assert.ok(Object.isFrozen(obj), `${path} is frozen`);
    assert.throws(() => {
      (config.http as { port: number }).port = 1;
    }, TypeError);
    assert.throws(() => (config.http.corsOrigins as string[]).push('https://evil.test'), TypeError);
    assert.throws(() => {
      (config.limits.rates as Record<string, unknown>).default = null;
    }, TypeError);
  });

  test('withJwtSecret returns a frozen copy and leaves the original alone', () => {
    const base = loadConfig({});
    const withSecret = withJwtSecret(base, SECRET);
    assert.equal(withSecret.auth.jwtSecret, SECRET);
    assert.equal(base.auth.jwtSecret, undefined);
    for (const [path, obj] of objectsIn(withSecret)) assert.ok(Object.isFrozen(obj), `${path} is frozen`);
  });

  test('rate limits: "points/seconds" parses, "0" turns a class off', () => {
    const config = loadConfig({ RATE_LIMIT_DEFAULT: '5/10', RATE_LIMIT_CHAT: '0', RATE_LIMIT_LOCATION: '100/1' });
    assert.deepEqual(config.limits.rates.default, { points: 5, durationS: 10 });
    assert.equal(config.limits.rates.chat, null);
    assert.deepEqual(config.limits.rates.location, { points: 100, durationS: 1 });
    assert.deepEqual(config.limits.rates.auth, { points: 10, durationS: 60 }, 'unset classes keep their default');
  });

  for (const value of ['5', 'fast', '5/', '/10', '5/10/2', '-5/10', '0/10', '5/0', '5.5/10']) {
    test(`RATE_LIMIT_DEFAULT=${JSON.stringify(value)} is refused`, () => {
      assert.ok(problemsOf({ RATE_LIMIT_DEFAULT: value }).some((p) => p.startsWith('RATE_LIMIT_DEFAULT:')), value);
    });
  }

  test('CORS_ORIGINS is a comma-separated list; spaces and empty entries are dropped', () => {
    assert.deepEqual(loadConfig({ CORS_ORIGINS: 'https://a.test, https://b.test ,,https://c.test' }).http.corsOrigins, ['https://a.test', 'https://b.test', 'https://c.test']);
    assert.deepEqual(loadConfig({ CORS_ORIGINS: '*' }).http.corsOrigins, ['*']);
  });

  test('CORS_ORIGINS takes origins as browsers send them: scheme://host[:port], IPv6 hosts too', () => {
    const origins = ['http://localhost:3000', 'https://app.example.com', 'http://127.0.0.1:8080', 'http://[::1]:3000', 'capacitor://localhost'];
    assert.deepEqual(loadConfig({ CORS_ORIGINS: origins.join(',') }).http.corsOrigins, origins);
  });

  for (const value of ['http://localhost:3000/', 'localhost:3000', 'https://app.example.com/app', 'https://a.test?x=1', 'https://a.test#top', 'http://user@a.test', '*.example.com', 'https://a.test:port']) {
    test(`CORS_ORIGINS entry ${JSON.stringify(value)} is not an origin: listed with the other problems`, () => {
      const problems = problemsOf({ CORS_ORIGINS: `https://ok.test,${value}`, PORT: 'abc' });
      assert.equal(problems.length, 2, problems.join('\n'));
      const cors = problems.find((p) => p.startsWith('CORS_ORIGINS:'));
      assert.ok(cors?.includes(JSON.stringify(value)), `names the entry: ${cors}`);
      assert.ok(problems.some((p) => p.startsWith('PORT:')));
    });
  }

  test('CORS_ORIGINS "*" stands alone', () => {
    assert.ok(problemsOf({ CORS_ORIGINS: '*,https://a.test' }).some((p) => p.startsWith('CORS_ORIGINS:') && p.includes('*')));
  });

  test('booleans accept true/false/1/0/yes/no only', () => {
    assert.equal(loadConfig({ ALLOW_ANONYMOUS: 'true' }).auth.allowAnonymous, true);
    assert.equal(loadConfig({ ALLOW_ANONYMOUS: '0' }).auth.allowAnonymous, false);
    assert.ok(problemsOf({ ALLOW_ANONYMOUS: 'maybe' }).some((p) => p.startsWith('ALLOW_ANONYMOUS:')), 'ALLOW_ANONYMOUS');
  });

  test('URLs are checked: DATABASE_URL must be postgres://, REDIS_URL redis://', () => {
    const problems = problemsOf({ DATABASE_URL: 'mysql://x', REDIS_URL: 'http://x' });
    assert.deepEqual(problems.map((p) => p.split(':')[0]).sort(), ['DATABASE_URL', 'REDIS_URL']);
  });
});
