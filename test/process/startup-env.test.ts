import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { eventually } from '../helpers/eventually.ts';
import { freePort } from '../helpers/ports.ts';
import { waitForHttp } from '../helpers/process.ts';
import { SECRET, start } from './startup-helpers.ts';

describe('livegate start: misspelt variables', () => {
  test('each variable that looks like a misspelt Livegate one gets one warn line naming the known name', async () => {
    const port = await freePort();
    const child = start({ PORT: String(port), DATA_DIR: 'memory', JWT_SECRET: SECRET, JWT_SECERT: 'oops', REDIS_ULR: 'redis://127.0.0.1:1', CORS_ORIGIN: 'http://a.test' });
    await waitForHttp(child, `http://127.0.0.1:${port}/healthz`);
    const warnings = await eventually(() => {
      const lines = child.stdout().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { level: number; msg: string });
      const found = lines.filter((l) => /environment variable/.test(l.msg));
      assert.equal(found.length, 3, child.stdout());
      return found;
    }, 10_000);
    for (const [name, known] of [['JWT_SECERT', 'JWT_SECRET'], ['REDIS_ULR', 'REDIS_URL'], ['CORS_ORIGIN', 'CORS_ORIGINS']] as const) {
      const line = warnings.find((w) => w.msg.includes(name));
      assert.ok(line, `a line for ${name}`);
      assert.equal(line.level, 40, 'warn level');
      assert.match(line.msg, new RegExp(`did you mean ${known}\\b`));
    }
    assert.doesNotMatch(child.stdout(), /oops/, 'values are not logged');
  });
});
