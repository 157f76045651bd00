import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import pino from 'pino';
import { Lifecycle } from '../../src/core/lifecycle.ts';

/** A real pino logger writing its JSON lines into `lines`. */
function capture(): { log: pino.Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>), done()) });
  return { log: pino({ level: 'info' }, sink), lines };
}

test('entries stop in reverse order; a failing stop is logged and the rest still stop', async () => {
  const { log, lines } = capture();
  const stopped: string[] = [];
  const life = new Lifecycle(log);
  life.add({ name: 'storage', stop: () => void stopped.push('storage') });
  life.add({ name: 'broken', stop: () => { throw new Error('boom'); } });
  life.add({ name: 'transports', stop: async () => void stopped.push('transports') });
  await life.stop();
  assert.deepEqual(stopped, ['transports', 'storage']);
  assert.ok(lines.some((l) => l.msg === 'stop failed' && l.entry === 'broken'));
});

test('a stop that overruns is named in the log while it runs, once; a quick one is not', async () => {
  const { log, lines } = capture();
  const life = new Lifecycle(log, 50);
  life.add({ name: 'quick', stop: () => undefined });
  life.add({ name: 'stream-purge', stop: () => new Promise((r) => setTimeout(r, 200)) });
  await life.stop();
  const slow = lines.filter((l) => l.msg === 'stop still running');
  assert.deepEqual(slow.map((l) => l.entry), ['stream-purge']);
  assert.ok(Number(slow[0]!.ms) >= 50);
});
