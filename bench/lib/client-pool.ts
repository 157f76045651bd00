/**
 * Load-generator processes for the scenarios: each is a forked
 * bench/lib/client-worker.ts with its own event loop, CPU and descriptor
 * table (a process may hold 20,000 descriptors here). The scenario talks to
 * them with request/reply messages and reads their CPU from /proc.
 */
import { fileURLToPath } from 'node:url';
import type { ClientSpec, SenderSpec } from './client-worker.ts';
import { ForkedWorker } from './forked-worker.ts';

const WORKER = fileURLToPath(new URL('./client-worker.ts', import.meta.url));

export interface WorkerStats {
  received: number; errors: number; sent: number; maxLagMs: number;
  latency: number[]; loopDelayP99Ms: number; loopDelayMaxMs: number; cpuS: number; wallS: number;
  lastSent: Record<string, number>;
  perVehicle: Record<string, { watchers: number; oldestNewest: number }>;
}

export class ClientWorker extends ForkedWorker {
  constructor() {
    super(WORKER, 'client worker');
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
}

/** Source address of client i: 127.0.0.2 … 127.0.0.(1 + spread), about 28,000 ports each. */
export const sourceAddress = (i: number, spread = 50) => `127.0.0.${2 + (i % spread)}`;
