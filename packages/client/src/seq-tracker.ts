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

  /** True when the payload should reach the app: it carries no `_seq`, or a new one. */
  accept(payload: unknown): boolean {
    const seq = seqOf(payload);
    if (seq === undefined) return true;
    if (this.position !== undefined && seq <= this.position) return false;
    this.position = seq;
    return true;
  }
}

export function seqOf(payload: unknown): number | undefined {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return undefined;
  const seq = (payload as { _seq?: unknown })._seq;
  return typeof seq === 'number' && Number.isFinite(seq) ? seq : undefined;
}
