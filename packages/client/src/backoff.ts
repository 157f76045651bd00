/** Exponential backoff with jitter: attempt n waits between half and all of min(max, base·2ⁿ), at random, so clients a restart dropped together do not return together. */
export class Backoff {
  private attempt = 0;
  constructor(private readonly baseMs: number, private readonly maxMs: number, private readonly random: () => number = Math.random) {}

  next(): number {
    const ceiling = Math.min(this.maxMs, this.baseMs * 2 ** this.attempt);
    this.attempt += 1;
    return Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
  }

  reset(): void {
    this.attempt = 0;
  }
}
