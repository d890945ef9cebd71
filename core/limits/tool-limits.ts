import type { CallLimits } from '../config/config-types.js';
import { ConcurrencyGate } from './concurrency-gate.js';
import { RateWindow } from './rate-window.js';

/** Why a call was refused: the text for the client, and the limit's name for the audit log. */
export interface Refusal {
  text: string;
  limit: string;
}

/** The limits one tool's calls pass: the instance's gate, then the tool's own gate and rate window. */
export class ToolLimits {
  private readonly gate?: ConcurrencyGate;
  private readonly rate?: RateWindow;
  /** Names of the tool's settings as written in plugins.json (`limits.` left off), for refusal texts. */
  private readonly gateName: string = '';
  private readonly rateName: string = 'rate';

  constructor(
    private readonly instanceId: string,
    private readonly tool: string,
    private readonly instanceGate: ConcurrencyGate | undefined,
    limits: CallLimits,
    /** The tool's own name and its exposed name: either may key `limits.tools`. */
    names: readonly string[],
  ) {
    const key = names.find((n) => limits.tools && Object.hasOwn(limits.tools, n));
    const own = key === undefined ? undefined : limits.tools![key];
    const rate = own?.rate === undefined ? limits.rate : own.rate;
    if (rate) this.rate = new RateWindow(rate.max, rate.windowMs);
    if (own?.rate) this.rateName = `tools.${key}.rate`;
    if (own?.maxConcurrent) {
      this.gate = new ConcurrencyGate(own.maxConcurrent);
      this.gateName = `tools.${key}.maxConcurrent`;
    }
  }

  /** True when any limit applies to this tool (otherwise the call path can skip it). */
  get active(): boolean {
    return this.instanceGate !== undefined || this.gate !== undefined || this.rate !== undefined;
  }

  /** Undefined when the call may run (it is then counted: `release` once it has been answered), else why not. */
  admit(): Refusal | undefined {
    const shared = this.instanceGate;
    if (shared?.full) {
      return this.refuse('maxConcurrent', `instance "${this.instanceId}" already has ${calls(shared.max, 'tool call')} running (limits.maxConcurrent = ${shared.max}). Retry when one of them has finished.`);
    }
    if (this.gate?.full) {
      return this.refuse(this.gateName, `it already has ${calls(this.gate.max, 'call')} running (limits.${this.gateName} = ${this.gate.max} of instance "${this.instanceId}"). Retry when one of them has finished.`);
    }
    if (this.rate) {
      const waitMs = this.rate.take();
      if (waitMs > 0) {
        return this.refuse(this.rateName, `its rate limit of ${calls(this.rate.max, 'call')} per ${duration(this.rate.windowMs)} is used up (limits.${this.rateName} of instance "${this.instanceId}"). Retry in ${duration(waitMs)}.`);
      }
    }
    shared?.enter();
    this.gate?.enter();
    return undefined;
  }

  release(): void {
    this.instanceGate?.leave();
    this.gate?.leave();
  }

  private refuse(limit: string, why: string): Refusal {
    return { limit, text: `Tool ${this.tool} was not run: ${why}` };
  }
}

const calls = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/** "250 ms", "1.5 s", "60 s". */
export function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}
