/**
 * The highest durable-stream position seen. Durable events carry `_seq`, a
 * per-user increasing number; an event at or below the position was already
 * delivered (a replay overlapping live traffic at the seam) and is dropped.
 */
export class SeqTracker {
  constructor(private position: number | undefined) {}

  get lastSeq(): number | undefined {
    return this.position;
  }

  /** True when an event at `seq` should reach the app: it has no position (transient), or a new one. */
  accept(seq: number | undefined): boolean {
    if (seq === undefined) return true;
    if (this.position !== undefined && seq <= this.position) return false;
    this.position = seq;
    return true;
  }
}

/**
 * The `_seq` of a Socket.IO event: in the payload when it is an object, else
 * (an array such as `notifications:batch`) in a second argument `{ _seq }`.
 */
export function seqOf(payload: unknown, meta?: unknown): number | undefined {
  const holder = payload !== null && typeof payload === 'object' && !Array.isArray(payload) ? payload : meta;
  if (holder === null || typeof holder !== 'object') return undefined;
  const seq = (holder as { _seq?: unknown })._seq;
  return typeof seq === 'number' && Number.isFinite(seq) ? seq : undefined;
}
