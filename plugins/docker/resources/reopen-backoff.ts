const RETRY_MAX_MS = 30000;

/** Reopens an Engine stream that closed or could not open: one attempt pending at a time, delay doubling up to 30 s. */
export class ReopenBackoff {
  private timer: NodeJS.Timeout | undefined;
  private delayMs: number;

  constructor(
    private readonly minMs: number,
    private readonly reopen: () => void,
  ) {
    this.delayMs = minMs;
  }

  /** The stream opened: the next failure starts from the shortest delay again. */
  reset(): void {
    this.delayMs = this.minMs;
  }

  schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.reopen();
    }, this.delayMs);
    this.timer.unref();
    this.delayMs = Math.min(this.delayMs * 2, RETRY_MAX_MS);
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
