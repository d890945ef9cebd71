/**
 * One scan's stop flag, shared with its workers: raised when the scan has enough, when its time is up, or
 * when the client cancels. `reason` says which, for the answer's notes.
 */
export class StopControl {
  readonly buffer = new SharedArrayBuffer(4);
  private readonly flag = new Int32Array(this.buffer);
  reason: 'enough' | 'timeout' | 'cancelled' | undefined;
  private readonly timer: NodeJS.Timeout;
  private readonly listeners: (() => void)[] = [];
  private readonly onAbort = () => this.stop('cancelled');

  constructor(
    timeoutMs: number,
    private readonly signal?: AbortSignal,
  ) {
    this.timer = setTimeout(() => this.stop('timeout'), timeoutMs);
    this.timer.unref();
    if (signal?.aborted) this.stop('cancelled');
    else signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  stop(reason: 'enough' | 'timeout' | 'cancelled'): void {
    if (this.reason) return;
    this.reason = reason;
    Atomics.store(this.flag, 0, 1);
    for (const listener of this.listeners.splice(0)) listener();
  }

  get stopped(): boolean {
    return this.reason !== undefined;
  }

  onStop(listener: () => void): void {
    if (this.reason) listener();
    else this.listeners.push(listener);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.signal?.removeEventListener('abort', this.onAbort);
  }
}
