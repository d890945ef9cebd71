import type { SurfaceKind } from '../registry/entries.js';

/**
 * Claude Desktop and the MCP Inspector list once, right after initialize, and ignore list_changed.
 * So the first list of each kind waits (bounded) for plugins to settle; later lists never wait.
 * It also remembers which kinds the client has listed: only those get list_changed.
 */
export class Readiness {
  settled = false;
  readonly listed = new Set<SurfaceKind>();
  waitMs = 5000;
  private markSettled!: () => void;
  private readonly plugins = new Promise<void>((resolve) => (this.markSettled = resolve));
  private bounded?: Promise<void>;

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
      const timer = setTimeout(resolve, this.waitMs);
      timer.unref();
      void this.plugins.then(() => {
        clearTimeout(timer);
        resolve();
      });
    }));
  }

  async firstList(kind: SurfaceKind): Promise<void> {
    if (!this.settled) await this.startup();
    this.listed.add(kind);
  }
}
