/**
 * Messages across the isolation boundary, sent together once per turn of the event loop: with many calls in
 * flight, the calls (and their answers) of one burst cross in one message, one wake-up of the other side,
 * instead of one each. A batch travels as an array (no single message is one), and `unbatch` undoes it.
 */
export class MessageBatch<M> {
  private queue: { message: M; onError: (error: unknown) => void }[] = [];
  private scheduled = false;

  constructor(private readonly post: (data: M | M[]) => void) {}

  /** Sent at the end of this turn with the others; if it cannot be sent then (it cannot be cloned), `onError`. */
  later(message: M, onError: (error: unknown) => void): void {
    this.queue.push({ message, onError });
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(this.flush);
  }

  /** Sent now, after what is queued (order is kept); throws what posting throws. */
  now(message: M): void {
    this.flush();
    this.post(message);
  }

  readonly flush = (): void => {
    this.scheduled = false;
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    try {
      this.post(batch.length === 1 ? batch[0].message : batch.map((entry) => entry.message));
      return;
    } catch {
      // One of them cannot be cloned: send them one by one, so only that one fails.
    }
    for (const entry of batch) {
      try {
        this.post(entry.message);
      } catch (error) {
        entry.onError(error);
      }
    }
  };
}

/** Calls `listener` with each message of what arrived (a batch or a single message). */
export function unbatch<M>(data: M | M[], listener: (message: M) => void): void {
  if (!Array.isArray(data)) return listener(data);
  for (const message of data) listener(message);
}
