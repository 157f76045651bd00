import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { findUnknownEnv } from '../../src/config/index.ts';

describe('findUnknownEnv: misspelt Livegate variables', () => {
  test('a name close to a known one is reported with the known name', () => {
    const found = findUnknownEnv({ JWT_SECERT: 'x', REDIS_ULR: 'redis://x', CORS_ORIGIN: 'http://a.test', DATABSE_URL: 'postgres://x', jwt_secret: 'x', PORTS: '1' });
    const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : 1);
    assert.deepEqual(
      [...found].sort(byName),
      [
        { name: 'CORS_ORIGIN', known: 'CORS_ORIGINS' },
        { name: 'DATABSE_URL', known: 'DATABASE_URL' },
        { name: 'JWT_SECERT', known: 'JWT_SECRET' },
        { name: 'PORTS', known: 'PORT' },
        { name: 'REDIS_ULR', known: 'REDIS_URL' },
        { name: 'jwt_secret', known: 'JWT_SECRET' },
      ].sort(byName),
    );
  });

  test('known names, unrelated names, short names and common system variables are not reported', () => {
    const env = {
      JWT_SECRET: 'x', REDIS_URL: 'redis://x', CORS_ORIGINS: '*', PORT: '1', NODE_ENV: 'test', NODE_ID: 'a', HOST: 'h',
      PATH: '/bin', HOME: '/root', HOSTNAME: 'box', USER: 'me', SHELL: '/bin/sh', TERM: 'xterm', LANG: 'C', PWD: '/', OLDPWD: '/', TMPDIR: '/tmp',
      LOGNAME: 'me', NODE_OPTIONS: '', NODE_PATH: '', NODE_VERSION: '20', YARN_VERSION: '1', NODE_UNIQUE_ID: '1', NODE_CHANNEL_FD: '3',
      REDIS_HOST: 'r', REDIS_PORT: 'tcp://r:6379', KUBERNETES_SERVICE_HOST: 'k', npm_config_cache: '/c', npm_lifecycle_event: 'start',
      NODE_TEST_CONTEXT: 'child', DEBUG: '', TZ: 'UTC', CI: 'true', XYZ: '1', MY_APP_SETTING: '1',
      // Three edits from SHUTDOWN_DRAIN_MS: too far to guess.
      SHUTDOWN_DRAIN: '5',
      // Short names: one edit from PORT or HOST is as likely another program's.
      POST: '1', HOS: '1',
    };
    assert.deepEqual(findUnknownEnv(env), []);
  });

  test('an unset (empty) misspelt variable is still reported: it shows the intent', () => {
    assert.deepEqual(findUnknownEnv({ JWT_SECERT: '' }), [{ name: 'JWT_SECERT', known: 'JWT_SECRET' }]);
  });
});
