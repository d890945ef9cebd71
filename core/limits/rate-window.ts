/**
 * At most `max` calls in any `windowMs` (a sliding window): a ring of the start times of the last `max` admitted
 * calls. The oldest of them says both whether one more fits and, if not, exactly when it will.
 */
export class RateWindow {
  private readonly starts: Float64Array;
  private oldest = 0;

  constructor(
    readonly max: number,
    readonly windowMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.starts = new Float64Array(max).fill(-Infinity);
  }

  /** Admits (and counts) one call and returns 0, or returns the milliseconds until a call would be admitted. */
  take(): number {
    const now = this.now();
    const wait = this.starts[this.oldest] + this.windowMs - now;
    if (wait > 0) return Math.ceil(wait);
    this.starts[this.oldest] = now;
    this.oldest = (this.oldest + 1) % this.max;
    return 0;
  }
}
