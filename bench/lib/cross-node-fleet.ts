import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LoadCommand, LoadReply } from './cross-node-load.ts';

const LOAD = fileURLToPath(new URL('./cross-node-load.ts', import.meta.url));

/** One forked load process, answering each command with one reply, in order. */
export class LoadProc {
  private readonly waiting: ((r: LoadReply) => void)[] = [];
  readonly proc: ChildProcess;

  constructor(profileDir?: string) {
    const execArgv = ['--import', 'tsx', ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])];
    this.proc = fork(LOAD, [], { execArgv, serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.proc.on('message', (msg: LoadReply) => this.waiting.shift()?.(msg));
    process.once('exit', () => this.proc.kill('SIGKILL'));
  }

  get pid(): number {
    return this.proc.pid!;
  }

  request<T extends LoadReply['type']>(cmd: LoadCommand, expect: T): Promise<Extract<LoadReply, { type: T }>> {
    return new Promise((resolve, reject) => {
      this.waiting.push((r) => {
        if (r.type === expect) resolve(r as Extract<LoadReply, { type: T }>);
        else reject(new Error(r.type === 'error' ? r.message : `unexpected reply ${r.type}`));
      });
      this.proc.send(cmd);
    });
  }

  /** Closes its sockets and waits for the process to exit (profiles are written on a normal exit). */
  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.proc.exitCode !== null) return resolve();
      const timer = setTimeout(() => this.proc.kill('SIGKILL'), 5000);
      this.proc.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      this.proc.send({ type: 'close' } satisfies LoadCommand);
    });
  }
}

/** Sender and receiver processes, created once and reused by every step. */
export class LoadFleet {
  readonly senders: LoadProc[];
  readonly receivers: LoadProc[];

  constructor(senderProcs: number, receiverProcs: number, profileDir?: string) {
    this.senders = Array.from({ length: senderProcs }, () => new LoadProc(profileDir));
    this.receivers = Array.from({ length: receiverProcs }, () => new LoadProc(profileDir));
  }

  get all(): LoadProc[] {
    return [...this.senders, ...this.receivers];
  }

  close(): Promise<void> {
    return Promise.all(this.all.map((p) => p.close())).then(() => undefined);
  }
}
