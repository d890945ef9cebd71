/**
 * A subscription to one container's logs: a follow stream whose bytes are not kept, only noticed.
 * New output marks the resource changed; subscribers hear at most one update per throttle window.
 * When the stream ends (the container stopped, the Engine restarted) it is reopened with backoff from
 * the time it ended, so output written meanwhile still counts, until the last subscriber leaves.
 */
import type { IncomingMessage } from 'node:http';
import { seg } from '../engine/engine.js';
import type { DockerInstance } from '../instance.js';
import { ReopenBackoff } from './reopen-backoff.js';

const RETRY_MIN_MS = 1000;

export class LogWatch {
  private response: IncomingMessage | undefined;
  private stopped = false;
  private notifyTimer: NodeJS.Timeout | undefined;
  private lastNotify = 0;
  private readonly backoff = new ReopenBackoff(RETRY_MIN_MS, () => void this.open());
  private since: number;

  constructor(
    private readonly d: DockerInstance,
    private readonly containerId: string,
    private readonly throttleMs: number,
    private readonly notify: () => void,
  ) {
    this.since = Date.now() / 1000;
  }

  start(): void {
    void this.open();
  }

  private async open(): Promise<void> {
    if (this.stopped) return;
    const openedAt = Date.now() / 1000;
    try {
      const response = await this.d.engine.open({
        method: 'GET',
        path: `/containers/${seg(this.containerId)}/logs`,
        query: { follow: true, stdout: true, stderr: true, since: this.since.toFixed(3), tail: 'all' },
      });
      if (this.stopped) return void response.destroy();
      this.response = response;
      this.backoff.reset();
      response.on('data', () => this.changed());
      response.once('error', () => this.reopen());
      response.once('close', () => this.reopen());
    } catch (error) {
      this.d.ctx.logger.debug('log subscription: cannot follow yet', { container: this.containerId, error: (error as Error).message });
      this.since = openedAt;
      this.schedule();
    }
  }

  private reopen(): void {
    if (this.response === undefined) return;
    this.response = undefined;
    this.since = Date.now() / 1000;
    this.schedule();
  }

  private schedule(): void {
    if (!this.stopped) this.backoff.schedule();
  }

  private changed(): void {
    if (this.notifyTimer || this.stopped) return;
    const wait = Math.max(0, this.lastNotify + this.throttleMs - Date.now());
    this.notifyTimer = setTimeout(() => {
      this.notifyTimer = undefined;
      if (this.stopped) return;
      this.lastNotify = Date.now();
      this.notify();
    }, wait);
  }

  stop(): void {
    this.stopped = true;
    if (this.notifyTimer) clearTimeout(this.notifyTimer);
    this.backoff.cancel();
    const response = this.response;
    this.response = undefined;
    response?.destroy();
  }
}
