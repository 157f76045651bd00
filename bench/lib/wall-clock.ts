/**
 * Wall-clock milliseconds with sub-millisecond steps: `Date.now()` read once,
 * advanced by the monotonic clock. Processes that compare instants (a sender
 * stamps when a message was due, a receiver elsewhere subtracts it) agree to
 * within the system clock, which `performance.timeOrigin + performance.now()`
 * does not: on these VMs `timeOrigin` was seen hundreds of milliseconds away
 * from `Date.now()` (the quick relay printed a p99 of −181 ms).
 */
const base = Date.now() - performance.now();

export const wallNow = (): number => base + performance.now();

/** The wall-clock instant of a `performance.now()` reading. */
export const wallAt = (monotonicMs: number): number => base + monotonicMs;
