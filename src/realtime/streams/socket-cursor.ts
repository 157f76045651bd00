import type { Logger } from '../../core/logger.ts';
import type { StreamEntry, StreamPosition } from '../../modules/streams/index.ts';

/** What a cursor reads from: the user's stored stream. */
export interface StreamSource {
  read(userId: string, afterSeq: number, limit: number, upToSeq?: number): Promise<StreamEntry[]>;
  position(userId: string): Promise<StreamPosition>;
}

/** What a cursor writes to: one socket. */
export interface CursorOutput {
  emit(entry: StreamEntry): void;
  incomplete(oldestSeq: number): void;
  isOpen(): boolean;
}

export interface ResumeResult {
  replayed: number;
  headSeq: number;
}

const PAGE = 500;

/**
 * One socket's position in its user's stream: every durable event reaches the
 * socket exactly once, in seq order. A live event at `last + 1` goes out at
 * once; one at or below `last` is a duplicate; one further ahead means a gap
 * (an earlier event still travelling from another node, or a publish Redis
 * lost), filled from the database first. While the cursor reads (a resume or
 * a gap), live events wait in `pending` and go after it, minus what the read
 * already sent, so there is no gap and no duplicate at the seam.
 *
 * A socket that gave no position starts at the first live event it sees. A
 * resume never sends a socket an event twice: asked for a position before
 * what it already got live, it gets the older events after those.
 */
export class SocketCursor {
  private last: number | undefined;
  /** The oldest seq this socket was sent: it has every one from `first` to `last`. */
  private first: number | undefined;
  private pending: StreamEntry[] = [];
  private resumes: Array<{ after: number; done(r: ResumeResult): void; fail(err: unknown): void }> = [];
  private running = false;

  constructor(
    private readonly userId: string,
    private readonly source: StreamSource,
    private readonly out: CursorOutput,
    private readonly log: Logger,
  ) {}

  /** A live durable event for this socket's user. */
  live(entry: StreamEntry): void {
    if (!this.running && this.pending.length === 0) {
      if (this.last !== undefined && entry.seq <= this.last) return;
      if (this.last === undefined || entry.seq === this.last + 1) return this.send(entry);
    }
    this.pending.push(entry);
    void this.run();
  }

  /** Sends every stored event after `afterSeq`, then what arrived meanwhile; resolves once the stored ones are out. */
  resume(afterSeq: number): Promise<ResumeResult> {
    return new Promise((done, fail) => {
      this.resumes.push({ after: afterSeq, done, fail });
      void this.run();
    });
  }

  private send(entry: StreamEntry): void {
    this.first ??= entry.seq;
    this.last = entry.seq;
    this.out.emit(entry);
  }

  private async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.out.isOpen()) {
        const resume = this.resumes.shift();
        if (resume) {
          await this.replay(resume.after).then(resume.done, resume.fail);
          continue;
        }
        if (this.pending.length === 0) break;
        this.pending.sort((a, b) => a.seq - b.seq);
        const entry = this.pending.shift()!;
        if (this.last !== undefined && entry.seq <= this.last) continue;
        if (this.last !== undefined && entry.seq > this.last + 1) {
          try {
            await this.fill(entry.seq);
          } catch (err) {
            this.log.warn({ err, userId: this.userId }, 'stream gap read failed; going on without it');
          }
          // Filled (then this is a duplicate), or a hole the database no longer has: go on rather than stall.
          if (this.last !== undefined && entry.seq <= this.last) continue;
        }
        this.send(entry);
      }
    } finally {
      this.running = false;
      // A socket that closed mid-way: nobody waits for its resumes.
      for (const r of this.resumes.splice(0)) r.done({ replayed: 0, headSeq: this.last ?? 0 });
      this.pending = [];
    }
  }

  private async replay(afterSeq: number): Promise<ResumeResult> {
    const { headSeq, oldestSeq } = await this.source.position(this.userId);
    // Positions after the head: the stream was reset. Before the oldest retained: purged.
    const lost = afterSeq > headSeq || (oldestSeq === null ? afterSeq < headSeq : afterSeq + 1 < oldestSeq);
    if (lost) this.out.incomplete(oldestSeq ?? headSeq + 1);
    if (this.first === undefined || this.last === undefined) {
      this.last = Math.min(afterSeq, headSeq);
      const replayed = await this.fill();
      return { replayed, headSeq: this.last };
    }
    // This socket already has first..last. Never twice: what is older than that goes now (after
    // those, the one exception to seq order, for a client that resumes after live events reached
    // it), then what is newer.
    let replayed = 0;
    if (afterSeq < this.first - 1) {
      const last = this.last;
      this.last = afterSeq;
      replayed += await this.fill(this.first - 1);
      this.first = afterSeq + 1;
      this.last = last;
    }
    replayed += await this.fill();
    return { replayed, headSeq: this.last };
  }

  /** Sends stored entries after `last` (up to `upToSeq`), page by page. */
  private async fill(upToSeq?: number): Promise<number> {
    let sent = 0;
    for (;;) {
      const page = await this.source.read(this.userId, this.last ?? 0, PAGE, upToSeq);
      for (const entry of page) {
        if (!this.out.isOpen()) return sent;
        this.send(entry);
        sent++;
      }
      if (page.length < PAGE) return sent;
    }
  }
}
