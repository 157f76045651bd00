import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const WORKER = fileURLToPath(new URL('./plain-clients.ts', import.meta.url));

/** A forked plain-transport load generator (plain-clients.ts). */
export class PlainClients {
  private readonly proc: ChildProcess;
  private seq = 0;
  private readonly pending = new Map<number, (data: unknown) => void>();

  constructor() {
    this.proc = fork(WORKER, [], { execArgv: ['--import', 'tsx', '--max-old-space-size=2048'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.proc.on('message', (m: { id: number; data: unknown }) => {
      this.pending.get(m.id)?.(m.data);
      this.pending.delete(m.id);
    });
    process.once('exit', () => this.proc.kill('SIGKILL'));
  }

  get pid(): number {
    return this.proc.pid!;
  }

  private call<T>(msg: Record<string, unknown>): Promise<T> {
    const id = this.seq++;
    return new Promise((resolve, reject) => {
      this.proc.once('exit', (code) => reject(new Error(`plain client worker exited (${code})`)));
      this.pending.set(id, (data) => resolve(data as T));
      this.proc.send({ ...msg, id });
    });
  }

  connect(mode: 'ws' | 'sse', url: string, clients: Array<{ token: string; address: string }>, waveSize = 200): Promise<{ failed: number }> {
    return this.call({ type: 'connect', mode, url, clients, waveSize });
  }

  /** One fix per socket per second for `durationMs`. */
  send(durationMs: number): Promise<{ sent: number }> {
    return this.call({ type: 'send', durationMs });
  }

  async close(): Promise<void> {
    if (this.proc.exitCode !== null) return;
    const exited = new Promise((r) => this.proc.once('exit', r));
    await Promise.race([this.call({ type: 'close' }).catch(() => undefined), exited]);
    await Promise.race([exited, new Promise((r) => setTimeout(r, 2_000))]);
    this.proc.kill('SIGKILL');
  }
}
