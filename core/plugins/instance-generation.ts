import type { DependencyContainer } from 'tsyringe';
import type { PluginContext, PluginLogger, PluginModule, StopReason } from '../api/plugin-api.js';
import { withTimeout } from '../util/with-timeout.js';
import type { CallPolicy } from '../limits/call-policy.js';
import type { Owner } from '../registry/entries.js';
import type { SurfaceBuilder } from './surface-builder.js';

/** How long a retiring generation may drain its requests, and how long its stop may take. */
export interface RetireLimits {
  drainMs: number;
  stopMs: number;
}

/**
 * One generation of one instance: its child container, ctx, module and surface, plus the lease
 * count of requests running on it, so it can drain before it stops.
 */
export class InstanceGeneration implements Owner {
  readonly opaqueSchemes = new Set<string>();
  readonly disposeHooks: (() => Promise<void> | void)[] = [];
  container!: DependencyContainer;
  ctx!: PluginContext;
  builder!: SurfaceBuilder;
  module?: PluginModule;
  started = false;
  /** Set by the manager before the generation serves: its calls' time limit, limits and audit log. */
  policy?: CallPolicy;
  private inflight = 0;
  private idle?: () => void;

  constructor(
    readonly instanceId: string,
    readonly namespace: string,
    readonly number: number,
  ) {}

  enter(): void {
    this.inflight++;
  }

  leave(): void {
    if (--this.inflight === 0) this.idle?.();
  }

  /** Resolves true once no request runs on this generation, false if `ms` passed first. */
  drain(ms: number): Promise<boolean> {
    if (this.inflight === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      this.idle = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
  }

  /** Drains (bounded), runs the plugin's stop (bounded), then disposes: `onDispose` hooks in reverse, then the child container. Never throws. */
  async retire(reason: StopReason, limits: RetireLimits, log: PluginLogger): Promise<void> {
    if (!(await this.drain(limits.drainMs))) log.warn(`generation ${this.number} stopping with requests still running (${reason})`);
    const stop = this.module?.stop;
    if (this.started && stop) {
      try {
        await withTimeout(() => stop.call(this.module, this.ctx, reason), limits.stopMs, `stop of instance "${this.instanceId}"`, this.instanceId);
      } catch (error) {
        log.error(`stop failed: ${(error as Error).message}`);
      }
    }
    for (const hook of this.disposeHooks.splice(0).reverse()) {
      try {
        await hook();
      } catch (error) {
        log.error(`dispose hook failed: ${(error as Error)?.message ?? String(error)}`);
      }
    }
    try {
      await this.container?.dispose();
    } catch (error) {
      log.error(`dispose failed: ${(error as Error)?.message ?? String(error)}`);
    }
  }
}
