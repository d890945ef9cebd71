import { HOST_API_VERSION } from './api/plugin-api.js';
import { HOST_INFO, HOST_STATUS, type HostStatusReader } from './api/tokens.js';
import type { HostConfig } from './config/config-types.js';
import { loadConfig, parseConfig } from './config/load-config.js';
import { createRootContainer } from './di/container.js';
import { BUILTIN_PLUGIN_DIR, CHANNEL, CONFIG, LOGGER, MODULE_LOADER, REGISTRY, ROOT_CONTAINER } from './di/tokens.js';
import { hostInstance, hostPlugin } from './host-plugin/host-plugin.js';
import { createLogger, SecretList, type HostLogger } from './logging/create-logger.js';
import type { HostChannel } from './plugins/host-channel.js';
import { InProcessModuleLoader, type ModuleLoader } from './plugins/module-loader.js';
import { PluginManager } from './plugins/plugin-manager.js';
import { Registry } from './registry/registry.js';
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
}

export interface Host {
  config: HostConfig;
  /** Why plugins.json could not be used; the host then serves only its own tools. */
  configError?: string;
  logger: HostLogger;
  registry: Registry;
  manager: PluginManager;
  /** Errors of single instances found while reading the config (unset variables). */
  instanceErrors: Map<string, string[]>;
  /** Starts every enabled instance; resolves when all have started or failed. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** A channel for hosts with no MCP client (the CLI's list and doctor). */
const noClient: HostChannel = {
  client: { capabilities: () => undefined, listRoots: async () => [], onRootsChanged: () => () => {} },
  resourceUpdated: () => {},
};

/** Wires the host: config, logger, registry and plugin manager in a root DI container. */
export function createHost(options: HostOptions): Host {
  const env = options.env ?? process.env;
  const secrets = new SecretList();
  let config: HostConfig;
  let configError: string | undefined;
  let instanceErrors = new Map<string, string[]>();
  try {
    const loaded = loadConfig(options.configPath, env);
    config = loaded.config;
    instanceErrors = loaded.instanceErrors;
  } catch (error) {
    configError = (error as Error).message;
    config = emptyConfig(options.configPath);
  }
  secrets.add(config.secrets);
  const logger = createLogger(options.logLevel || env.MCP_HOST_LOG_LEVEL || config.logLevel, secrets, config.logFile);
  if (configError) logger.error(`plugins.json not loaded, serving only the host's own tools: ${configError}`);

  const registry = options.registry ?? new Registry();
  const root = createRootContainer();
  let manager!: PluginManager;
  const status: HostStatusReader = { list: () => manager.list(), configError: () => configError };
  root.register(ROOT_CONTAINER, { useValue: root });
  root.register(CONFIG, { useValue: config });
  root.register(LOGGER, { useValue: logger });
  root.register(REGISTRY, { useValue: registry });
  root.register(MODULE_LOADER, { useValue: options.loader ?? new InProcessModuleLoader() });
  root.register(CHANNEL, { useValue: options.channel ?? noClient });
  root.register(BUILTIN_PLUGIN_DIR, { useValue: options.builtinPluginDir ?? packagePath('dist', 'plugins') });
  root.register(HOST_INFO, { useValue: { version: packageVersion, apiVersion: HOST_API_VERSION, configPath: config.path } });
  root.register(HOST_STATUS, { useValue: status });
  manager = root.resolve(PluginManager);
  manager.addInternal(hostInstance, hostPlugin);

  return {
    config,
    configError,
    logger,
    registry,
    manager,
    instanceErrors,
    start: () => manager.startAll(instanceErrors),
    stop: async () => {
      await manager.stopAll('shutdown');
      await root.dispose();
    },
  };
}

/** What the host runs on when plugins.json cannot be used: the schema's defaults and no instances. */
function emptyConfig(path: string): HostConfig {
  return parseConfig({ plugins: {} }, path, {}).config;
}
