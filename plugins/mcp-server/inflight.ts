import type { RequestExtra } from '../../core/api/index.js';

/**
 * The host requests currently running on this server (tool calls, reads, prompt gets). Over stdio a
 * server's own requests (sampling, elicitation) and log messages carry no link to the request they
 * belong to, so they go to the newest one still running: with one call at a time, exactly its own.
 */
export class Inflight {
  private readonly running = new Set<RequestExtra>();

  async run<T>(extra: RequestExtra, work: () => Promise<T>): Promise<T> {
    this.enter(extra);
    try {
      return await work();
    } finally {
      this.leave(extra);
    }
  }

  /** `extra`'s request started (run does this; a caller on the hot path may pair enter and leave itself). */
  enter(extra: RequestExtra): void {
    this.running.add(extra);
  }

  leave(extra: RequestExtra): void {
    this.running.delete(extra);
  }

  /** The newest request not cancelled yet. */
  newest(): RequestExtra | undefined {
    let found: RequestExtra | undefined;
    for (const extra of this.running) if (!extra.signal.aborted) found = extra;
    return found;
  }
}
