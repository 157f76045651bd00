/**
 * Why the router's answer-first ordering (src/realtime/reply-gate.ts) does not
 * use AsyncLocalStorage: on Node 20, once an AsyncLocalStorage has run, promise
 * hooks stay on for the whole process. This times the same promise-heavy loop
 * before and after, in one process, and prints the ratio.
 *
 *   node --import tsx bench/micro/async-context-cost.ts
 */
import { AsyncLocalStorage } from 'node:async_hooks';

async function loop(n: number): Promise<number> {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += await Promise.resolve(i);
  return sum;
}

async function timeMs(): Promise<number> {
  const start = process.hrtime.bigint();
  for (let k = 0; k < 20; k++) await loop(100_000);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const runs = 5;
const before: number[] = [];
for (let i = 0; i < runs; i++) before.push(await timeMs());
new AsyncLocalStorage().run({}, () => undefined);
const after: number[] = [];
for (let i = 0; i < runs; i++) after.push(await timeMs());
console.log(`2M awaited promises: median ${median(before).toFixed(0)} ms without, ${median(after).toFixed(0)} ms after an AsyncLocalStorage ran (${(median(after) / median(before)).toFixed(2)}×), Node ${process.version}`);
