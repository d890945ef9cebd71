/** At most `max` calls at once. A call over the limit is refused by the caller, never queued. */
export class ConcurrencyGate {
  running = 0;

  constructor(readonly max: number) {}

  get full(): boolean {
    return this.running >= this.max;
  }

  enter(): void {
    this.running++;
  }

  leave(): void {
    this.running--;
  }
}
