/** A fixed-window counter per client address: cheap, and enough to stop one client from starving the rest. */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  private lastSweep = Date.now();

  constructor(private readonly windowMs: number, private readonly max: number) {}

  /** Counts one request; returns the seconds to wait when over the limit, else 0. */
  take(client: string, now = Date.now()): number {
    this.sweep(now);
    let window = this.windows.get(client);
    if (!window || now - window.start >= this.windowMs) {
      window = { start: now, count: 0 };
      this.windows.set(client, window);
    }
    window.count++;
    if (window.count <= this.max) return 0;
    return Math.max(1, Math.ceil((window.start + this.windowMs - now) / 1000));
  }

  /** Forgets finished windows now and then so the map does not grow with every address ever seen. */
  private sweep(now: number): void {
    if (now - this.lastSweep < Math.max(this.windowMs, 10_000)) return;
    this.lastSweep = now;
    for (const [client, window] of this.windows) if (now - window.start >= this.windowMs) this.windows.delete(client);
  }
}
