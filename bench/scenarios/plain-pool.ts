import { fileURLToPath } from 'node:url';
import { ForkedWorker } from '../lib/forked-worker.ts';

const WORKER = fileURLToPath(new URL('./plain-clients.ts', import.meta.url));

/** A forked plain-transport load generator (plain-clients.ts). */
export class PlainClients extends ForkedWorker {
  constructor() {
    super(WORKER, 'plain client worker');
  }

  connect(mode: 'ws' | 'sse', url: string, clients: Array<{ token: string; address: string }>, waveSize = 200): Promise<{ failed: number }> {
    return this.call({ type: 'connect', mode, url, clients, waveSize });
  }

  /** One fix per socket per second for `durationMs`. */
  send(durationMs: number): Promise<{ sent: number }> {
    return this.call({ type: 'send', durationMs });
  }
}
