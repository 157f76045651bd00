#!/usr/bin/env node
// `npm test`: every test/**/*.test.ts (and .test.tsx) through Node's test runner with tsx.
// Optional arguments narrow the run to files whose path contains them.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function find(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? find(path) : /\.test\.tsx?$/.test(path) ? [path] : [];
  });
}

const filters = process.argv.slice(2);
const files = find('test').filter((f) => filters.length === 0 || filters.some((x) => f.includes(x))).sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  // --test-force-exit: a file whose tests have all finished exits even if a failed test left a handle open
  // (a server that would not shut down), instead of sitting out the 180 s timeout. Servers the helpers started
  // outside the process are stopped on that exit (test/helpers/server-registry.ts).
  ['--import', 'tsx', '--test', '--test-force-exit', '--test-reporter=spec', `--test-concurrency=${process.env.TEST_CONCURRENCY ?? 2}`, '--test-timeout=180000', ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
