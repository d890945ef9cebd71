import { HOST_API_VERSION } from './api/plugin-api.js';
import { HOST_INFO, HOST_STATUS, type HostStatusReader } from './api/tokens.js';
import type { HostConfig } from './config/config-types.js';
import { diffConfig, type ConfigDiff } from './config/diff-config.js';
import { loadConfig, parseConfig, type LoadedConfig } from './config/load-config.js';
import { createRootContainer } from './di/container.js';
import { BUILTIN_PLUGIN_DIR, CALL_POLICIES, CHANNEL, CONFIG, LOGGER, MODULE_LOADER, REGISTRY, ROOT_CONTAINER, TOOL_CATALOG } from './di/tokens.js';
import { hostInstance, hostPlugin } from './host-plugin/host-plugin.js';
import { META_TOOLS } from './host-plugin/meta-tools.js';
import { AuditLog } from './audit/audit-log.js';
import { createLogger, SecretList, type HostLogger } from './logging/create-logger.js';
import { CallPolicies } from './limits/call-policies.js';
import { noClientChannel, type HostChannel } from './plugins/host-channel.js';
import { IsolatingLoader } from './isolation/isolating-loader.js';
import { InProcessModuleLoader, type ModuleLoader } from './plugins/module-loader.js';
import { PluginManager } from './plugins/plugin-manager.js';
import { Registry } from './registry/registry.js';
import { ToolCatalog } from './server/tool-catalog.js';
import { packagePath, packageVersion } from './util/package-root.js';

export interface HostOptions {
  configPath: string;
  registry?: Registry;
  channel?: HostChannel;
  loader?: ModuleLoader;
  builtinPluginDir?: string;
  env?: NodeJS.ProcessEnv;
  /** Overrides the configured log level (the one-shot CLI commands log only errors). */
  logLevel?: string;
  /** `serve --audit FILE` (absolute): the audit log is on, in this file, whatever plugins.json says. */
  auditFile?: string;
  /** An already-read config to use instead of reading `configPath` (validate's salvaged instances). */
  loaded?: LoadedConfig;
}

export interface Host {
  /** The configuration in force (the last one that validated). */
  readonly config: HostConfig;
  /** Why plugins.json could not be used (the last good one keeps serving; at start-up, only the host's own tools). */
  readonly configError?: string;
  readonly logger: HostLogger;
  readonly registry: Registry;
  readonly manager: PluginManager;
  /** Errors of single instances found while reading the config (unset variables). */
  readonly instanceErrors: Map<string, string[]>;
  /** Starts every enabled instance; resolves when all have started or failed. */
  start(): Promise<void>;
  /**
   * Re-reads plugins.json: an invalid file is refused (the error is logged and shown by host__status) and the last
   * good configuration keeps serving; a valid one is applied to the instances that changed. Resolves with the diff
   * once every touched instance has settled.
   */
  reloadConfig(): Promise<ConfigDiff | undefined>;
  /** Stops every instance (reverse config order) within `budgetMs`, then disposes the root container. */
  stop(budgetMs?: number): Promise<void>;
}

/** Wires the host: config, logger, registry and plugin manager in a root DI container. */
export function createHost(options: HostOptions): Host {
  const env = options.env ?? process.env;
  const secrets = new SecretList();
  let config: HostConfig;
  let configError: string | undefined;
  let instanceErrors = new Map<string, string[]>();
  try {
    const loaded = options.loaded ?? loadConfig(options.configPath, env);
    config = loaded.config;
    instanceErrors = loaded.instanceErrors;
  } catch (error) {
    configError = (error as Error).message;
    config = parseConfig({ plugins: {} }, options.configPath, {}).config;
  }
  secrets.add(config.secrets);
  const logLevel = () => options.logLevel || env.MCP_HOST_LOG_LEVEL || config.logLevel;
  const logger = createLogger(logLevel(), secrets, config.logFile);
  // The audit log follows plugins.json (a reload can turn it on, off or elsewhere) unless --audit says where.
  const audit = new AuditLog(secrets, (message) => logger.warn(message));
  const auditSettings = () => (options.auditFile ? { ...config.audit, enabled: true, file: options.auditFile } : config.audit);
  void audit.configure(auditSettings());

  const registry = options.registry ?? new Registry();
  const root = createRootContainer();
  let manager!: PluginManager;
  const status: HostStatusReader = { list: () => manager.list(), configError: () => configError };
  root.register(ROOT_CONTAINER, { useValue: root });
  root.register(CONFIG, { useValue: config });
  root.register(LOGGER, { useValue: logger });
  root.register(REGISTRY, { useValue: registry });
  root.register(MODULE_LOADER, { useValue: options.loader ?? new IsolatingLoader(new InProcessModuleLoader()) });
  root.register(CHANNEL, { useValue: options.channel ?? noClientChannel });
  root.register(BUILTIN_PLUGIN_DIR, { useValue: options.builtinPluginDir ?? packagePath('dist', 'plugins') });
  root.register(HOST_INFO, { useValue: { version: packageVersion, apiVersion: HOST_API_VERSION, configPath: config.path } });
  root.register(HOST_STATUS, { useValue: status });
  root.register(CALL_POLICIES, { useValue: new CallPolicies(audit) });
  root.register(TOOL_CATALOG, { useValue: new ToolCatalog(registry, META_TOOLS) });
  manager = root.resolve(PluginManager);
  manager.addInternal(hostInstance, hostPlugin);

  return {
    get config() {
      return config;
    },
    get configError() {
      return configError;
    },
    logger,
    registry,
    manager,
    get instanceErrors() {
      return instanceErrors;
    },
    start: () => manager.startAll(instanceErrors),
    async reloadConfig() {
      let loaded: ReturnType<typeof loadConfig>;
      try {
        loaded = loadConfig(options.configPath, env);
      } catch (error) {
        configError = (error as Error).message;
        logger.error(`plugins.json change refused, the last good configuration keeps serving: ${configError}`);
        return undefined;
      }
      configError = undefined;
      const diff = diffConfig(config, loaded.config);
      config = loaded.config;
      instanceErrors = loaded.instanceErrors;
      secrets.add(config.secrets);
      logger.level = logLevel();
      void audit.configure(auditSettings());
      await manager.applyConfig(config, diff, instanceErrors);
      return diff;
    },
    stop: async (budgetMs) => {
      await manager.stopAll('shutdown', budgetMs);
      await audit.close();
      await root.dispose();
    },
  };
}
