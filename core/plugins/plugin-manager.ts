import { HOST_API_VERSION, type PluginModule, type StopReason } from '../api/plugin-api.js';
import type { InstanceStatus } from '../api/tokens.js';
import type { HostConfig, InstanceConfig } from '../config/config-types.js';
import type { ConfigDiff } from '../config/diff-config.js';
import { inject, injectable, type DependencyContainer } from '../di/container.js';
import { BUILTIN_PLUGIN_DIR, CALL_POLICIES, CHANNEL, CONFIG, LOGGER, MODULE_LOADER, REGISTRY, ROOT_CONTAINER } from '../di/tokens.js';
import type { CallPolicies } from '../limits/call-policies.js';
import type { HostLogger } from '../logging/create-logger.js';
import { checkNamespace } from '../registry/naming.js';
import type { Registry } from '../registry/registry.js';
import { describeError, HostError } from '../util/host-error.js';
import { withTimeout } from '../util/with-timeout.js';
import { checkHostApi } from './check-host-api.js';
import { discoverPlugins, type Discovery } from './discover-plugins.js';
import type { HostChannel } from './host-channel.js';
import { InstanceGeneration, type RetireLimits } from './instance-generation.js';
import { withRealPaths } from './real-paths.js';
import { newRecord, toStatus, type InstanceRecord } from './instance-record.js';
import type { PluginDescriptor } from './manifest.js';
import type { IsolationHealth } from '../isolation/isolated-plugin.js';
import type { ModuleLoader } from './module-loader.js';
import { createPluginContext } from './plugin-context.js';
import { validatePluginConfig } from './validate-plugin-config.js';

/** A plugin compiled into the host itself (the `host` namespace), started like any other but never loaded from disk. */
export interface InternalPlugin {
  descriptor: PluginDescriptor;
  module: PluginModule;
}


/** At shutdown, running requests get at most this long before plugins are stopped (the process must exit within 5 s). */
const SHUTDOWN_DRAIN_MS = 1000;

/**
 * Runs the plugin lifecycle for every configured instance: check → load → register → start →
 * swap into the routing table, and drain → stop → dispose. Each phase is wrapped per instance: one
 * failing instance is marked failed with a coded error and the rest carry on. A reload builds the
 * next generation on the side and swaps it in one step; the old one keeps serving if that fails.
 */
@injectable()
export class PluginManager {
  private readonly records = new Map<string, InstanceRecord>();
  private readonly internal = new Map<string, InternalPlugin>();
  private discovery: Discovery = { plugins: new Map(), problems: [] };
  /** Per plugin id: bumped when its files change, so the next load evaluates the new code. */
  private readonly codeVersions = new Map<string, number>();
  private stopping = false;

  constructor(
    @inject(CONFIG) private config: HostConfig,
    @inject(LOGGER) private readonly logger: HostLogger,
    @inject(REGISTRY) private readonly registry: Registry,
    @inject(MODULE_LOADER) private readonly loader: ModuleLoader,
    @inject(CHANNEL) private readonly channel: HostChannel,
    @inject(ROOT_CONTAINER) private readonly root: DependencyContainer,
    @inject(BUILTIN_PLUGIN_DIR) private readonly builtinDir: string,
    @inject(CALL_POLICIES) private readonly policies: CallPolicies,
  ) {}

  /** Adds an instance of a plugin that lives inside the host (before `startAll`). */
  addInternal(instance: InstanceConfig, plugin: InternalPlugin): void {
    this.internal.set(instance.plugin, plugin);
    this.records.set(instance.id, newRecord(instance));
  }

  /** Discovers plugins and starts every enabled instance in parallel; resolves when each has started or failed. */
  startAll(preErrors: Map<string, string[]> = new Map()): Promise<void> {
    this.discover();
    for (const instance of this.config.instances) this.records.set(instance.id, newRecord(instance, preErrors.get(instance.id)));
    return Promise.all([...this.records.values()].filter((r) => r.config.enabled).map((r) => this.requestBuild(r))).then(() => undefined);
  }

  /** Applies a new, valid config: only instances that changed are touched. */
  async applyConfig(next: HostConfig, diff: ConfigDiff, preErrors: Map<string, string[]>): Promise<void> {
    this.config = next;
    if (diff.settings.includes('pluginDirs')) this.discover();
    const work: Promise<void>[] = [];
    for (const removed of diff.removed) {
      const record = this.records.get(removed.id);
      this.records.delete(removed.id);
      if (record) work.push(this.takeDown(record, 'disable', 'stopped'));
    }
    for (const instance of [...diff.added, ...diff.changed]) {
      const record = this.records.get(instance.id) ?? newRecord(instance);
      this.records.set(instance.id, record);
      record.config = instance;
      record.preErrors = preErrors.get(instance.id);
      work.push(instance.enabled ? this.requestBuild(record) : this.takeDown(record, 'disable', 'disabled'));
    }
    if (diff.settings.includes('pluginDirs')) work.push(...this.retryMissing());
    this.reorder();
    await Promise.all(work);
  }

  /**
   * Plugin folders changed on disk: re-reads manifests, reloads the instances of every plugin whose
   * folder is in `dirs` with its new code, starts instances whose plugin appeared, and takes down
   * instances whose plugin disappeared.
   */
  async pluginFilesChanged(changed: Set<string>): Promise<void> {
    const dirs = withRealPaths(changed);
    const before = this.discovery.plugins;
    this.discover();
    const work: Promise<void>[] = [];
    const bumped = new Set<string>(); // once per plugin: its instances share the new code, as at start-up
    for (const record of this.records.values()) {
      if (this.internal.has(record.config.plugin) || !record.config.enabled) continue;
      const old = before.get(record.config.plugin);
      const now = this.discovery.plugins.get(record.config.plugin);
      const touched = [old?.dir, now?.dir].some((dir) => dir !== undefined && dirs.has(dir));
      const brokenNow = this.discovery.problems.some((p) => p.id === record.config.plugin && dirs.has(p.dir));
      if (!touched && !brokenNow && !(now && !old)) continue;
      if (now && !bumped.has(now.manifest.id)) {
        bumped.add(now.manifest.id);
        this.codeVersions.set(now.manifest.id, (this.codeVersions.get(now.manifest.id) ?? 0) + 1);
      }
      if (!now && !brokenNow) work.push(this.takeDown(record, 'disable', 'failed', this.notFound(record.config)));
      else work.push(this.requestBuild(record));
    }
    await Promise.all(work);
  }

  /** Reloads every enabled instance (SIGHUP). */
  async reloadAll(): Promise<void> {
    this.discover();
    for (const plugin of this.discovery.plugins.values()) this.codeVersions.set(plugin.manifest.id, (this.codeVersions.get(plugin.manifest.id) ?? 0) + 1);
    await Promise.all([...this.records.values()].filter((r) => r.config.enabled && !this.internal.has(r.config.plugin)).map((r) => this.requestBuild(r)));
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

  list(): InstanceStatus[] {
    return [...this.records.values()].map(toStatus);
  }

  /** Plugins found on disk, and folders that were skipped. */
  plugins(): Discovery {
    return this.discovery;
  }

  /** Every plugin folder in use: the built-in folder and pluginDirs (for watching). */
  pluginRoots(): string[] {
    return [this.builtinDir, ...this.config.pluginDirs];
  }

  /**
   * Stops every serving instance in reverse config order within `budgetMs`: each instance gets at most an
   * equal share of the time left, so one that hangs in stop cannot use up the time of those after it.
   */
  async stopAll(reason: StopReason, budgetMs = Infinity): Promise<void> {
    this.stopping = true;
    const deadline = Date.now() + budgetMs;
    const records = [...this.records.values()].reverse();
    for (const record of records) if (record.current) this.registry.unpublish(record.config.id);
    for (const [i, record] of records.entries()) {
      const share = Math.max(50, (deadline - Date.now()) / (records.length - i));
      await this.takeDown(record, reason, 'stopped', undefined, { drainMs: Math.min(SHUTDOWN_DRAIN_MS, share / 2), stopMs: Math.min(this.config.timeouts.stopMs, share) });
    }
  }

  private discover(): void {
    this.discovery = discoverPlugins(this.pluginRoots().map((dir, i) => ({ dir, builtin: i === 0 })));
    for (const problem of this.discovery.problems) this.logger.warn(`plugin folder skipped: ${problem.message}`, { code: problem.code });
  }

  /** Instances that failed for want of their plugin get another try (their plugin may be in a new folder). */
  private retryMissing(): Promise<void>[] {
    return [...this.records.values()].filter((r) => r.config.enabled && r.error?.code === 'PLUGIN_NOT_FOUND').map((r) => this.requestBuild(r));
  }

  /** Keeps records in config order (stop runs in reverse of it). */
  private reorder(): void {
    const order = ['host', ...this.config.instances.map((i) => i.id)];
    const sorted = [...this.records.entries()].sort(([a], [b]) => order.indexOf(a) - order.indexOf(b));
    this.records.clear();
    for (const [id, record] of sorted) this.records.set(id, record);
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

  /** Asks for a new generation of `record`; builds of one instance run one at a time and only the newest request is built. */
  private requestBuild(record: InstanceRecord): Promise<void> {
    record.wanted++;
    record.running ??= (async () => {
      while (record.done < record.wanted && !this.stopping) {
        const target = record.wanted;
        await this.build(record, () => record.wanted !== target || this.records.get(record.config.id) !== record);
        record.done = target;
      }
      record.running = undefined;
    })();
    return record.running;
  }

  /** Builds the next generation on the side, then swaps it in; on failure the previous generation keeps serving. */
  private async build(record: InstanceRecord, superseded: () => boolean): Promise<void> {
    const instance = record.config;
    const log = this.logger.child({ instance: instance.id });
    let generation: InstanceGeneration | undefined;
    if (!record.current) record.state = 'starting';
    try {
      record.plugin = this.internal.get(instance.plugin)?.descriptor ?? this.discovery.plugins.get(instance.plugin) ?? record.plugin;
      const { plugin, config } = this.prepare(instance, record.preErrors);
      record.plugin = plugin;
      const { registerMs, startMs } = this.config.timeouts;
      generation = new InstanceGeneration(instance.id, instance.namespace, ++record.generations);
      generation.policy = this.policies.for(instance);
      const internal = this.internal.get(instance.plugin);
      const codeVersion = this.codeVersions.get(plugin.manifest.id) ?? 0;
      const health = (h: IsolationHealth) => {
        if (record.current !== generation) return; // a crash of a generation not (or no longer) serving is its build's failure
        record.state = h.state;
        record.error = h.error;
      };
      const request = { instance, codeVersion, baseDir: this.config.baseDir, health };
      const module = internal?.module ?? (await withTimeout(() => this.loader.load(plugin, request), registerMs, `loading instance "${instance.id}"`, instance.id));
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
      await phase('REGISTER_FAILED', instance.id, () => withTimeout(() => module.register(ctx), registerMs, `register of instance "${instance.id}"`, instance.id));
      generation.started = true;
      await phase('START_FAILED', instance.id, () => withTimeout(() => module.start?.(ctx), startMs, `start of instance "${instance.id}"`, instance.id));
      if (superseded() || this.stopping) {
        log.info(`generation ${generation.number} discarded: a newer change came in`);
        await this.retire(generation, 'reload');
        return;
      }
      this.swapIn(record, generation);
      log.info(`serving plugin "${plugin.manifest.id}" ${plugin.manifest.version} (generation ${generation.number})`);
    } catch (error) {
      record.error = describeError(error, 'START_FAILED');
      if (record.current) {
        log.error(`reload failed, generation ${record.current.number} keeps serving: ${record.error.message}`, { code: record.error.code });
      } else {
        record.state = error instanceof HostError && error.code === 'HOST_API_MISMATCH' ? 'incompatible' : 'failed';
        log.error(`instance failed: ${record.error.message}`, { code: record.error.code });
      }
      if (generation) await this.retire(generation, 'reload');
    }
  }

  /** Publishes the new generation's surface in one step (replacing the old), then retires the old one in the background. */
  private swapIn(record: InstanceRecord, next: InstanceGeneration): void {
    const previous = record.current;
    const id = record.config.id;
    record.current = next;
    try {
      next.builder.goLive((surface) => {
        if (record.current === next) this.registry.publish(id, surface);
      });
    } catch (error) {
      record.current = previous;
      throw error;
    }
    record.state = 'serving';
    record.error = undefined;
    void this.channel.generationLive(id);
    if (previous) void this.retire(previous, 'reload');
  }

  /** Drains, stops and disposes one generation in the background of whatever called it; never throws. */
  private retire(generation: InstanceGeneration, reason: StopReason, limits: RetireLimits = this.config.timeouts): Promise<void> {
    return generation.retire(reason, limits, this.logger.child({ instance: generation.instanceId }));
  }

  /** Unpublishes and retires an instance's current generation, leaving it in `state`. */
  private async takeDown(record: InstanceRecord, reason: StopReason, state: InstanceStatus['state'], error?: HostError, limits?: RetireLimits): Promise<void> {
    record.wanted = record.done; // a build in flight is now superseded
    const generation = record.current;
    record.current = undefined;
    record.state = state;
    record.error = error ? describeError(error, 'PLUGIN_NOT_FOUND') : undefined;
    if (!generation) return;
    this.registry.unpublish(record.config.id);
    await this.retire(generation, reason, limits);
  }

  private findPlugin(instance: InstanceConfig): PluginDescriptor {
    const internal = this.internal.get(instance.plugin);
    if (internal) return internal.descriptor;
    const found = this.discovery.plugins.get(instance.plugin);
    if (found) return found;
    const broken = this.discovery.problems.find((p) => p.id === instance.plugin);
    if (broken) throw new HostError(broken.code as 'MANIFEST_INVALID', broken.message, { instance: instance.id });
    throw this.notFound(instance);
  }

  private notFound(instance: InstanceConfig): HostError {
    return new HostError('PLUGIN_NOT_FOUND', `instance "${instance.id}": no plugin "${instance.plugin}" in ${this.pluginRoots().join(', ')}`, {
      instance: instance.id,
      expected: instance.plugin,
      actual: [...this.discovery.plugins.keys()].join(', ') || 'no plugins',
    });
  }

}

/** Runs a plugin phase; anything it throws that is not already coded gets `code`. */
async function phase(code: 'REGISTER_FAILED' | 'START_FAILED', instance: string, run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (error instanceof HostError) throw error;
    throw new HostError(code, `${code === 'REGISTER_FAILED' ? 'register' : 'start'} of instance "${instance}" threw: ${(error as Error)?.message ?? String(error)}`, { instance, cause: error });
  }
}
