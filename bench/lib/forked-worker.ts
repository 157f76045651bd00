import { fork, type ChildProcess } from 'node:child_process';
import { cpuSecondsOf } from './proc.ts';

// Every worker and server adds an exit hook that kills it.
process.setMaxListeners(Math.max(process.getMaxListeners(), 100));

/**
 * A forked load-generator process with its own event loop, CPU and
 * descriptor table, spoken to by request/reply messages `{ type, id, … }` →
 * `{ id, data }`. Subclasses add the typed calls their worker understands;
 * every worker answers `{ type: 'close' }`.
 */
export class ForkedWorker {
  protected readonly proc: ChildProcess;
  private seq = 0;
  private readonly pending = new Map<number, (data: unknown) => void>();

  constructor(script: string, private readonly what: string) {
    this.proc = fork(script, [], { execArgv: ['--import', 'tsx', '--max-old-space-size=2048'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.proc.on('message', (m: { id: number; data: unknown }) => {
      this.pending.get(m.id)?.(m.data);
      this.pending.delete(m.id);
    });
    process.once('exit', () => this.proc.kill('SIGKILL'));
  }

  get pid(): number {
    return this.proc.pid!;
  }

  cpuSeconds(): number {
    return cpuSecondsOf(this.pid);
  }

  protected call<T>(msg: Record<string, unknown>): Promise<T> {
    const id = this.seq++;
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`${this.what} exited (${code})`));
      this.proc.once('exit', onExit);
      this.pending.set(id, (data) => {
        this.proc.off('exit', onExit);
        resolve(data as T);
      });
      this.proc.send({ ...msg, id });
    });
  }

  async close(): Promise<void> {
    if (this.proc.exitCode !== null) return;
    const exited = new Promise((r) => this.proc.once('exit', r));
    await Promise.race([this.call({ type: 'close' }), exited]).catch(() => undefined);
    await Promise.race([exited, new Promise((r) => setTimeout(r, 2_000))]);
    this.proc.kill('SIGKILL');
  }
}
