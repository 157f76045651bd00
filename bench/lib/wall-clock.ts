/**
 * Wall-clock milliseconds with sub-millisecond steps: the system clock read
 * once, exactly as it ticks to the next millisecond, then advanced by the
 * monotonic clock. Processes that compare instants (a sender stamps when a
 * message was due, a receiver elsewhere subtracts it) then agree to within
 * the system clock, which `performance.timeOrigin + performance.now()` does
 * not: on these VMs `timeOrigin` was seen hundreds of milliseconds away from
 * `Date.now()` (the quick relay printed a p99 of −181 ms). Reading
 * `Date.now()` at an arbitrary instant instead would put the origin up to
 * 1 ms early (it truncates).
 */
const base = ((): number => {
  const start = Date.now();
  let now = start;
  // Spins until the millisecond changes: at most 1 ms, once per process.
  while (now === start) now = Date.now();
  return now - performance.now();
})();

export const wallNow = (): number => base + performance.now();

/** The wall-clock instant of a `performance.now()` reading. */
export const wallAt = (monotonicMs: number): number => base + monotonicMs;
