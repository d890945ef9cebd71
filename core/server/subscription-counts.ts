/**
 * How many clients (sessions) subscribe to each exposed URI, shared by every frontend of one host: a plugin's
 * subscribe hook runs when the first client subscribes and its unsubscribe hook when the last one leaves.
 */
export class SubscriptionCounts {
  private readonly counts = new Map<string, number>();

  /** Counts one more subscriber; true when it is the first. */
  acquire(uri: string): boolean {
    const count = this.counts.get(uri) ?? 0;
    this.counts.set(uri, count + 1);
    return count === 0;
  }

  /** Counts one subscriber less; true when it was the last. */
  release(uri: string): boolean {
    const count = this.counts.get(uri) ?? 0;
    if (count <= 1) {
      this.counts.delete(uri);
      return count === 1;
    }
    this.counts.set(uri, count - 1);
    return false;
  }

  /** Every URI someone subscribes to (a new generation gets its subscribe hook called once for each). */
  uris(): IterableIterator<string> {
    return this.counts.keys();
  }
}
