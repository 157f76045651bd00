import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * `livegate bench [--quick] [scenario ...]`: runs the benchmark suite
 * (bench/run.ts, which documents its options; `--help` lists the scenarios)
 * in its own process from the package root, and returns its exit code.
 */
export function bench(args: string[]): Promise<number> {
  // --via-cli: the runner records `livegate bench …` (or `npm run bench -- …`) as the command in its results.
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--via-cli', ...args], { cwd: ROOT, stdio: 'inherit' });
  // The runner owns the scenarios' process groups: let it handle Ctrl-C and only wait for it here.
  const ignore = () => undefined;
  process.on('SIGINT', ignore);
  process.on('SIGTERM', ignore);
  return new Promise<number>((resolve) => {
    child.once('error', (err) => {
      process.stderr.write(`could not start the benchmark runner: ${err.message}\n`);
      resolve(1);
    });
    child.once('close', (code, signal) => resolve(code ?? (signal === 'SIGINT' ? 130 : 1)));
  }).finally(() => {
    process.off('SIGINT', ignore);
    process.off('SIGTERM', ignore);
  });
}
