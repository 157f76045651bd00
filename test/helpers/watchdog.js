// Runs beside a test process (see server-registry.ts) and reads what it must
// clean from stdin, one line each: `+pid 123`, `-pid 123`, `+pg /tmp/dir`,
// `-pg /tmp/dir`. stdin reaches end-of-file when the test process is gone for
// any reason — SIGKILL included, when no handler of its own can run — and then
// everything still listed is stopped: processes killed, PostgreSQL clusters
// stopped through their postmaster.pid and their directories deleted.
import { existsSync, readFileSync, rmSync } from 'node:fs';

const pids = new Set();
const clusters = new Set();
let buffered = '';

process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  buffered += chunk;
  const lines = buffered.split('\n');
  buffered = lines.pop() ?? '';
  for (const line of lines) {
    const [op, ...rest] = line.split(' ');
    const value = rest.join(' ');
    if (op === '+pid') pids.add(Number(value));
    else if (op === '-pid') pids.delete(Number(value));
    else if (op === '+pg') clusters.add(value);
    else if (op === '-pg') clusters.delete(value);
  }
});
process.stdin.on('end', () => void cleanUp().finally(() => process.exit(0)));
// The test process's group may be signalled as a whole (Ctrl-C): outlive it long enough to clean up.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => undefined);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function postmasterPid(dir) {
  const file = `${dir}/postmaster.pid`;
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  return pid > 0 ? pid : undefined;
}

async function cleanUp() {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  // A `pg_ctl start` may still be bringing its server up: keep looking for a postmaster for a few seconds.
  const deadline = Date.now() + 5_000;
  while (clusters.size > 0 && Date.now() < deadline) {
    for (const dir of clusters) {
      const pid = postmasterPid(dir);
      if (pid && alive(pid)) {
        // SIGQUIT = immediate shutdown: the postmaster ends its backends and exits without a checkpoint.
        process.kill(pid, 'SIGQUIT');
      } else if (!existsSync(dir) || (pid && !alive(pid)) || Date.now() > deadline - 3_000) {
        rmSync(dir, { recursive: true, force: true });
        clusters.delete(dir);
      }
    }
    await sleep(100);
  }
  for (const dir of clusters) rmSync(dir, { recursive: true, force: true });
}
