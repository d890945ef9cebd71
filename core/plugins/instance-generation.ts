import type { DependencyContainer } from 'tsyringe';
import type { PluginContext, PluginModule } from '../api/plugin-api.js';
import type { Owner } from '../registry/entries.js';
import type { SurfaceBuilder } from './surface-builder.js';

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

  /** Runs `onDispose` hooks in reverse order, then disposes the child container. Errors go to `report`. */
  async dispose(report: (error: unknown) => void): Promise<void> {
    for (const hook of this.disposeHooks.splice(0).reverse()) {
      try {
        await hook();
      } catch (error) {
        report(error);
      }
    }
    try {
      await this.container?.dispose();
    } catch (error) {
      report(error);
    }
  }
}
