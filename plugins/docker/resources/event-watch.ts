/**
 * The Engine's event stream while someone subscribes to the events resource: every event goes into a
 * ring of the most recent ones and subscribers are told at once (events arriving in one chunk make one
 * update). A broken stream is reopened with backoff from the last event seen, so none is missed.
 */
import type { IncomingMessage } from 'node:http';
import { compactEvent, EventLineParser, type DockerEvent } from '../events/engine-events.js';
import type { DockerInstance } from '../instance.js';
import { ReopenBackoff } from './reopen-backoff.js';

export const RECENT_EVENTS = 100;
const RETRY_MIN_MS = 500;

export class EventWatch {
  readonly recent: DockerEvent[] = [];
  private response: IncomingMessage | undefined;
  private stopped = false;
  private pending = false;
  private readonly backoff = new ReopenBackoff(RETRY_MIN_MS, () => void this.open());
  private since = Date.now() / 1000;

  constructor(
    private readonly d: DockerInstance,
    private readonly notify: () => void,
  ) {}

  /** Resolves once the stream is open (or failed once; it keeps retrying). */
  start(): Promise<void> {
    return this.open();
  }

  private async open(): Promise<void> {
    if (this.stopped) return;
    try {
      const response = await this.d.engine.open({ method: 'GET', path: '/events', query: { since: this.since.toFixed(3) } });
      if (this.stopped) return void response.destroy();
      this.response = response;
      this.backoff.reset();
      const parser = new EventLineParser((raw) => {
        if (raw.timeNano) this.since = raw.timeNano / 1e9 + 1e-6;
        this.recent.push(compactEvent(raw));
        if (this.recent.length > RECENT_EVENTS) this.recent.splice(0, this.recent.length - RECENT_EVENTS);
        this.changed();
        return true;
      });
      response.on('data', (chunk: Buffer) => parser.push(chunk));
      response.once('error', () => this.reopen());
      response.once('close', () => this.reopen());
    } catch (error) {
      this.d.ctx.logger.debug('events subscription: cannot follow yet', { error: (error as Error).message });
      this.schedule();
    }
  }

  private changed(): void {
    if (this.pending) return;
    this.pending = true;
    setImmediate(() => {
      this.pending = false;
      if (!this.stopped) this.notify();
    });
  }

  private reopen(): void {
    if (this.response === undefined) return;
    this.response = undefined;
    this.schedule();
  }

  private schedule(): void {
    if (!this.stopped) this.backoff.schedule();
  }

  stop(): void {
    this.stopped = true;
    this.backoff.cancel();
    const response = this.response;
    this.response = undefined;
    response?.destroy();
  }
}
