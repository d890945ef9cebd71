import type { SurfaceKind } from '../registry/entries.js';

/**
 * Claude Desktop and the MCP Inspector list once, right after initialize, and ignore list_changed.
 * So the first list of each kind waits (bounded) for plugins to settle; later lists never wait.
 * It also remembers which kinds the client has listed: only those get list_changed.
 */
export class Readiness {
  settled = false;
  readonly listed = new Set<SurfaceKind>();
  private bound = 5000;
  private markSettled!: () => void;
  private readonly plugins = new Promise<void>((resolve) => (this.markSettled = resolve));
  private bounded?: Promise<void>;
  /** When the first wait began, and the timer that ends it (re-armed if the bound changes meanwhile). */
  private waitStarted = 0;
  private timer?: NodeJS.Timeout;
  private endWait?: () => void;

  get waitMs(): number {
    return this.bound;
  }

  /**
   * The bound (startupWaitMs). It is known only once plugins.json has been read, which can be after
   * the client's first list arrived: a wait already running is re-armed to end `ms` after it began.
   */
  set waitMs(ms: number) {
    this.bound = ms;
    if (this.endWait) this.arm();
  }

  /** Called once the host knows when its plugins will have settled. */
  track(settling: Promise<unknown>): void {
    void settling.finally(() => {
      this.settled = true;
      this.markSettled();
    });
  }

  /** Resolves when plugins settled or the wait bound passed, whichever is first. */
  startup(): Promise<void> {
    if (this.settled) return Promise.resolve();
    return (this.bounded ??= new Promise<void>((resolve) => {
      this.waitStarted = Date.now();
      this.endWait = () => {
        clearTimeout(this.timer);
        this.endWait = undefined;
        resolve();
      };
      this.arm();
      void this.plugins.then(() => this.endWait?.());
    }));
  }

  private arm(): void {
    clearTimeout(this.timer);
    const end = this.endWait!;
    this.timer = setTimeout(end, Math.max(0, this.waitStarted + this.bound - Date.now()));
    this.timer.unref();
  }

  /**
   * Looks a name up; a miss before plugins settled waits for start-up (bounded) and looks again, so a call that
   * races the plugins' start finds its tool instead of failing.
   */
  async find<T>(lookup: () => T | undefined): Promise<T | undefined> {
    const found = lookup();
    if (found !== undefined || this.settled) return found;
    await this.startup();
    return lookup();
  }

  async firstList(kind: SurfaceKind): Promise<void> {
    if (!this.settled) await this.startup();
    this.listed.add(kind);
  }
}
