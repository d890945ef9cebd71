import type { AuditLog } from '../audit/audit-log.js';
import type { CallLimits, InstanceConfig } from '../config/config-types.js';
import { ConcurrencyGate } from './concurrency-gate.js';
import { ToolLimits } from './tool-limits.js';

/** `timeoutMs` when plugins.json does not set one (as config/plugins.schema.json documents). */
export const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * What applies to every call of one instance: its time limit, its limits and the host's audit log. One policy
 * serves the instance's generations for as long as these settings stay the same, so a code reload keeps the
 * counts (calls running, calls in the rate window).
 */
export class CallPolicy {
  /** 0: no time limit. */
  readonly timeoutMs: number;
  /** Undefined when no limits are configured: the call path skips them. */
  readonly limits?: CallLimits;
  private readonly gate?: ConcurrencyGate;
  /** By exposed tool name; null: no limit applies to that tool. */
  private readonly tools = new Map<string, ToolLimits | null>();

  constructor(
    readonly instanceId: string,
    settings: Pick<InstanceConfig, 'timeoutMs' | 'limits'>,
    readonly audit?: AuditLog,
  ) {
    this.timeoutMs = settings.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.limits = settings.limits;
    if (this.limits?.maxConcurrent) this.gate = new ConcurrencyGate(this.limits.maxConcurrent);
  }

  /** The limits of one tool (`name` as the plugin declared it, `exposed` as clients see it), or null when none apply. */
  forTool(name: string, exposed: string): ToolLimits | null {
    let found = this.tools.get(exposed);
    if (found === undefined) {
      const limits = new ToolLimits(this.instanceId, exposed, this.gate, this.limits!, [name, exposed]);
      found = limits.active ? limits : null;
      this.tools.set(exposed, found);
    }
    return found;
  }
}
