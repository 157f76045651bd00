/**
 * Load-generator processes for the scenarios: each is a forked
 * bench/lib/client-worker.ts with its own event loop, CPU and descriptor
 * table (a process may hold 20,000 descriptors here). The scenario talks to
 * them with request/reply messages and reads their CPU from /proc.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ClientSpec, SenderSpec } from './client-worker.ts';
import { cpuSecondsOf } from './proc.ts';

// Every worker and server adds an exit hook that kills it.
process.setMaxListeners(Math.max(process.getMaxListeners(), 100));
const WORKER = fileURLToPath(new URL('./client-worker.ts', import.meta.url));

export interface WorkerStats {
  received: number; errors: number; sent: number; maxLagMs: number;
  latency: number[]; loopDelayP99Ms: number; loopDelayMaxMs: number; cpuS: number; wallS: number;
  lastSent: Record<string, number>;
  perVehicle: Record<string, { watchers: number; oldestNewest: number }>;
}

export class ClientWorker {
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

  cpuSeconds(): number {
    return cpuSecondsOf(this.pid);
  }

  private call<T>(msg: Record<string, unknown>): Promise<T> {
    const id = this.seq++;
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`client worker exited (${code})`));
      this.proc.once('exit', onExit);
      this.pending.set(id, (data) => {
        this.proc.off('exit', onExit);
        resolve(data as T);
      });
      this.proc.send({ ...msg, id });
    });
  }

  connect(url: string, clients: ClientSpec[], waveSize = 200): Promise<{ failed: number; clients: number }> {
    return this.call({ type: 'connect', url, clients, waveSize });
  }

  send(senders: SenderSpec[], periodMs: number, startEpochMs: number, durationMs: number): Promise<{ sent: number; maxLagMs: number; lastSent: Record<string, number> }> {
    return this.call({ type: 'send', senders, periodMs, startEpochMs, durationMs });
  }

  reset(): Promise<void> {
    return this.call({ type: 'reset' });
  }

  stats(): Promise<WorkerStats> {
    return this.call({ type: 'stats' });
  }

  async close(): Promise<void> {
    if (this.proc.exitCode !== null) return;
    const exited = new Promise((r) => this.proc.once('exit', r));
    await Promise.race([this.call({ type: 'close' }), exited]).catch(() => undefined);
    await Promise.race([exited, new Promise((r) => setTimeout(r, 2_000))]);
    this.proc.kill('SIGKILL');
  }
}

/** Source address of client i: 127.0.0.2 … 127.0.0.(1 + spread), about 28,000 ports each. */
export const sourceAddress = (i: number, spread = 50) => `127.0.0.${2 + (i % spread)}`;
