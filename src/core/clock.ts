/** Time is injected so expiry, staleness and deadlines are testable without waiting. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  constructor(private current = Date.parse('2026-01-01T00:00:00Z')) {}
  now(): number {
    return this.current;
  }
  advance(ms: number): void {
    this.current += ms;
  }
  set(epochMs: number): void {
    this.current = epochMs;
  }
}

export const isoNow = (clock: Clock): string => new Date(clock.now()).toISOString();

/** A stored time (a driver's Date, a text column, epoch ms) as ISO-8601 UTC. */
export const toIso = (v: Date | string | number): string => (v instanceof Date ? v : new Date(v)).toISOString();
