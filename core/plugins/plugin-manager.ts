import { HOST_API_VERSION, type PluginModule, type StopReason } from '../api/plugin-api.js';
import type { InstanceStatus } from '../api/tokens.js';
import type { HostConfig, InstanceConfig } from '../config/config-types.js';
import { inject, injectable, type DependencyContainer } from '../di/container.js';
import { BUILTIN_PLUGIN_DIR, CHANNEL, CONFIG, LOGGER, MODULE_LOADER, REGISTRY, ROOT_CONTAINER } from '../di/tokens.js';
import type { HostLogger } from '../logging/create-logger.js';
import { checkNamespace } from '../registry/naming.js';
import type { Registry } from '../registry/registry.js';
import { describeError, HostError } from '../util/host-error.js';
import { withTimeout } from '../util/with-timeout.js';
import { checkHostApi } from './check-host-api.js';
import { discoverPlugins, type Discovery } from './discover-plugins.js';
import type { HostChannel } from './host-channel.js';
import { InstanceGeneration } from './instance-generation.js';
import { toStatus, type InstanceRecord } from './instance-record.js';
import type { PluginDescriptor } from './manifest.js';
import type { ModuleLoader } from './module-loader.js';
import { createPluginContext } from './plugin-context.js';
import { validatePluginConfig } from './validate-plugin-config.js';

/** A plugin compiled into the host itself (the `host` namespace), started like any other but never loaded from disk. */
export interface InternalPlugin {
  descriptor: PluginDescriptor;
  module: PluginModule;
}

/** How long a stopping generation waits for its running requests before `stop` is called anyway. */
const DRAIN_MS = 1000;

/**
 * Runs the plugin lifecycle for every configured instance: check → load → register → start →
 * publish, and stop → dispose in reverse order. Each phase is wrapped per instance: one failing
 * instance is marked failed with a coded error and the rest carry on.
 */
@injectable()
export class PluginManager {
  private readonly records = new Map<string, InstanceRecord>();
  private readonly internal = new Map<string, InternalPlugin>();
  private discovery: Discovery = { plugins: new Map(), problems: [] };
  /** Settles when every enabled instance has started or failed. */
  settled: Promise<void> = Promise.resolve();

  constructor(
    @inject(CONFIG) private readonly config: HostConfig,
    @inject(LOGGER) private readonly logger: HostLogger,
    @inject(REGISTRY) private readonly registry: Registry,
    @inject(MODULE_LOADER) private readonly loader: ModuleLoader,
    @inject(CHANNEL) private readonly channel: HostChannel,
    @inject(ROOT_CONTAINER) private readonly root: DependencyContainer,
    @inject(BUILTIN_PLUGIN_DIR) private readonly builtinDir: string,
  ) {}

  /** Adds an instance of a plugin that lives inside the host (before `startAll`). */
  addInternal(instance: InstanceConfig, plugin: InternalPlugin): void {
    this.internal.set(instance.plugin, plugin);
    this.records.set(instance.id, { config: instance, state: 'starting', warnings: [], generations: 0 });
  }

  /** Discovers plugins and starts every enabled instance in parallel. `preErrors` fail single instances up front. */
  startAll(preErrors: Map<string, string[]> = new Map()): Promise<void> {
    this.discover();
    for (const problem of this.discovery.problems) this.logger.warn(`plugin folder skipped: ${problem.message}`, { code: problem.code });
    for (const instance of this.config.instances) {
      this.records.set(instance.id, { config: instance, state: instance.enabled ? 'starting' : 'disabled', warnings: [], generations: 0 });
    }
    const starts = [...this.records.values()].filter((r) => r.config.enabled).map((r) => this.start(r, preErrors.get(r.config.id)));
    this.settled = Promise.all(starts).then(() => undefined);
    return this.settled;
  }

  private discover(): void {
    this.discovery = discoverPlugins([{ dir: this.builtinDir, builtin: true }, ...this.config.pluginDirs.map((dir) => ({ dir, builtin: false }))]);
  }

  list(): InstanceStatus[] {
    return [...this.records.values()].map(toStatus);
  }

  /** Plugins found on disk, and folders that were skipped. */
  plugins(): Discovery {
    return this.discovery;
  }

  /** Stops every serving instance in reverse config order. */
  async stopAll(reason: StopReason): Promise<void> {
    const records = [...this.records.values()].reverse();
    for (const record of records) if (record.current) this.registry.unpublish(record.config.id);
    for (const record of records) {
      const generation = record.current;
      if (!generation) continue;
      record.current = undefined;
      record.state = 'stopped';
      await this.retire(generation, reason);
    }
  }

  /** Checks every enabled instance as far as possible without importing plugin code; one message per problem. */
  check(preErrors: Map<string, string[]> = new Map()): string[] {
    this.discover();
    const problems: string[] = [];
    for (const instance of this.config.instances) {
      if (!instance.enabled) continue;
      try {
        this.prepare(instance, preErrors.get(instance.id));
      } catch (error) {
        problems.push(`${instance.id}: ${describeError(error, 'CONFIG_INVALID').message}`);
      }
    }
    return problems;
  }

  /** The checks that need no plugin code: env variables, namespace, plugin found, host API, plugin config. */
  private prepare(instance: InstanceConfig, preErrors: string[] | undefined): { plugin: PluginDescriptor; config: Record<string, unknown> } {
    if (preErrors?.length) throw new HostError('CONFIG_INVALID', preErrors.join('; '), { instance: instance.id });
    checkNamespace(instance.namespace, instance.id);
    if (instance.namespace === 'host' && !this.internal.has(instance.plugin)) {
      throw new HostError('NAME_INVALID', `instance "${instance.id}": namespace "host" is reserved for the host's own tools`, { instance: instance.id, actual: 'host' });
    }
    const plugin = this.findPlugin(instance);
    checkHostApi(plugin.manifest, HOST_API_VERSION, instance.id);
    return { plugin, config: validatePluginConfig(plugin, instance) };
  }

  private async start(record: InstanceRecord, preErrors: string[] | undefined): Promise<void> {
    const instance = record.config;
    const log = this.logger.child({ instance: instance.id });
    let generation: InstanceGeneration | undefined;
    try {
      record.plugin = this.internal.get(instance.plugin)?.descriptor ?? this.discovery.plugins.get(instance.plugin);
      const { plugin, config } = this.prepare(instance, preErrors);
      const { registerMs, startMs } = this.config.timeouts;

      generation = new InstanceGeneration(instance.id, instance.namespace, ++record.generations);
      const number = generation.number;
      const internal = this.internal.get(instance.plugin);
      const module = internal?.module ?? (await withTimeout(() => this.loader.load(plugin, number, instance.id), registerMs, `loading instance "${instance.id}"`, instance.id));
      generation.module = module;
      const ctx = createPluginContext({
        generation,
        pluginId: plugin.manifest.id,
        config,
        logger: log,
        parent: this.root,
        baseDir: this.config.baseDir,
        channel: this.channel,
        warnings: record.warnings,
      });
      await this.phase('REGISTER_FAILED', instance.id, () => withTimeout(() => module.register(ctx), registerMs, `register of instance "${instance.id}"`, instance.id));
      generation.started = true;
      await this.phase('START_FAILED', instance.id, () => withTimeout(() => module.start?.(ctx), startMs, `start of instance "${instance.id}"`, instance.id));
      const live = generation;
      live.builder.goLive((surface) => this.registry.publish(instance.id, surface));
      record.current = live;
      record.state = 'serving';
      record.error = undefined;
      log.info(`serving plugin "${plugin.manifest.id}" ${plugin.manifest.version} (generation ${number})`);
    } catch (error) {
      record.state = error instanceof HostError && error.code === 'HOST_API_MISMATCH' ? 'incompatible' : 'failed';
      record.error = describeError(error, 'START_FAILED');
      log.error(`instance failed: ${record.error.message}`, { code: record.error.code });
      if (generation) await this.retire(generation, 'shutdown');
    }
  }

  private findPlugin(instance: InstanceConfig): PluginDescriptor {
    const internal = this.internal.get(instance.plugin);
    if (internal) return internal.descriptor;
    const found = this.discovery.plugins.get(instance.plugin);
    if (found) return found;
    const broken = this.discovery.problems.find((p) => p.id === instance.plugin);
    if (broken) throw new HostError(broken.code as 'MANIFEST_INVALID', broken.message, { instance: instance.id });
    const dirs = [this.builtinDir, ...this.config.pluginDirs].join(', ');
    throw new HostError('PLUGIN_NOT_FOUND', `instance "${instance.id}": no plugin "${instance.plugin}" in ${dirs}`, {
      instance: instance.id,
      expected: instance.plugin,
      actual: [...this.discovery.plugins.keys()].join(', ') || 'no plugins',
    });
  }

  /** Runs a plugin phase; anything it throws that is not already coded gets `code`. */
  private async phase(code: 'REGISTER_FAILED' | 'START_FAILED', instance: string, run: () => Promise<unknown>): Promise<void> {
    try {
      await run();
    } catch (error) {
      if (error instanceof HostError) throw error;
      throw new HostError(code, `${code === 'REGISTER_FAILED' ? 'register' : 'start'} of instance "${instance}" threw: ${(error as Error)?.message ?? String(error)}`, { instance, cause: error });
    }
  }

  /** Drains, stops and disposes one generation; never throws. */
  private async retire(generation: InstanceGeneration, reason: StopReason): Promise<void> {
    const log = this.logger.child({ instance: generation.instanceId });
    if (!(await generation.drain(DRAIN_MS))) log.warn(`stopping with requests still running (${reason})`);
    if (generation.started && generation.module?.stop) {
      const module = generation.module;
      try {
        await withTimeout(() => module.stop!(generation.ctx, reason), this.config.timeouts.stopMs, `stop of instance "${generation.instanceId}"`, generation.instanceId);
      } catch (error) {
        log.error(`stop failed: ${(error as Error).message}`);
      }
    }
    await generation.dispose((error) => log.error(`dispose failed: ${(error as Error)?.message ?? String(error)}`));
  }
}
