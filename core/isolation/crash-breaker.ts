import type { IsolationOptions } from './isolation-options.js';

/** What to do after a crash: restart after a delay, or open the circuit for a while. */
export type CrashDecision = { action: 'restart'; delayMs: number } | { action: 'open'; delayMs: number };

const FIRST_BACKOFF_MS = 200;
const MAX_BACKOFF_MS = 10_000;
const MAX_COOLDOWN_MS = 10 * 60_000;

/**
 * Restart with exponential backoff; after `maxCrashes` crashes within `crashWindowMs`, open the circuit
 * for `cooldownMs`, then allow one half-open run: a crash during its first `crashWindowMs` opens the
 * circuit again, for twice as long (capped).
 */
export class CrashBreaker {
  private crashes: number[] = [];
  private opens = 0;
  private probationUntil = 0;

  constructor(private readonly options: Pick<IsolationOptions, 'maxCrashes' | 'crashWindowMs' | 'cooldownMs'>) {}

  crashed(now = Date.now()): CrashDecision {
    if (now < this.probationUntil) return this.open();
    this.crashes = this.crashes.filter((t) => t > now - this.options.crashWindowMs);
    this.crashes.push(now);
    if (this.crashes.length >= this.options.maxCrashes) return this.open();
    this.opens = 0;
    return { action: 'restart', delayMs: Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (this.crashes.length - 1)) };
  }

  /** A half-open run started: it is on probation for one crash window. */
  halfOpenStarted(now = Date.now()): void {
    this.probationUntil = now + this.options.crashWindowMs;
  }

  private open(): CrashDecision {
    this.crashes = [];
    this.probationUntil = 0;
    const delayMs = Math.min(MAX_COOLDOWN_MS, this.options.cooldownMs * 2 ** this.opens);
    this.opens++;
    return { action: 'open', delayMs };
  }
}
