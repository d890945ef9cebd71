import type { Registration } from '../../../core/api/index.js';

/**
 * One kind of the server's catalog (tools, prompts, resources, templates) mirrored into the host's
 * registrations with a minimal diff: an item whose JSON did not change keeps its registration, a
 * changed one is replaced, a vanished one removed. So a server's list_changed turns into exactly the
 * host changes it implies (and one host list_changed per burst).
 */
export class Mirror<T> {
  private readonly entries = new Map<string, { json: string; registration: Registration }>();

  constructor(
    private readonly keyOf: (item: T) => string,
    /** Registers one item; undefined when it is skipped (filtered out, unusable). */
    private readonly register: (item: T) => Registration | undefined,
    private readonly onRemoved: (key: string) => void = () => {},
    private readonly onError: (key: string, error: unknown) => void = () => {},
  ) {}

  /** Keys registered with the host (not skipped). */
  keys(): string[] {
    return [...this.entries].filter(([, e]) => e.registration !== SKIPPED).map(([key]) => key);
  }

  apply(items: T[]): void {
    const next = new Map<string, T>();
    for (const item of items) next.set(this.keyOf(item), item);
    for (const [key, entry] of this.entries) {
      if (!next.has(key)) this.remove(key, entry.registration);
    }
    for (const [key, item] of next) {
      const json = JSON.stringify(item);
      const existing = this.entries.get(key);
      if (existing?.json === json) continue;
      if (existing) this.remove(key, existing.registration);
      // A skipped or refused item is remembered too, so the next list does not retry (and re-log) it unchanged.
      let registration: Registration = SKIPPED;
      try {
        registration = this.register(item) ?? SKIPPED;
      } catch (error) {
        this.onError(key, error);
      }
      this.entries.set(key, { json, registration });
    }
  }

  clear(): void {
    for (const [key, entry] of this.entries) this.remove(key, entry.registration);
  }

  private remove(key: string, registration: Registration): void {
    this.entries.delete(key);
    registration.remove();
    this.onRemoved(key);
  }
}

const SKIPPED: Registration = { remove: () => {} };
