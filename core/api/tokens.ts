/** Tokens a plugin may resolve from `ctx.container`. */
import { token } from '../di/token.js';
import type { PluginContext, PluginLogger } from './plugin-api.js';

/** What a plugin can read about the host it runs in. */
export interface HostInfo {
  /** The npm package version of mcp-plugin-host. */
  version: string;
  /** The plugin API version (see `HOST_API_VERSION`). */
  apiVersion: string;
  /** Absolute path of the plugins.json in use. */
  configPath: string;
}

/** A snapshot of one instance, as shown by `host__status` and `mcp-host list`. */
export interface InstanceStatus {
  instance: string;
  plugin: string;
  version?: string;
  namespace: string;
  /** `restarting`: an isolated plugin's worker or process crashed and is being restarted; `crashed`: it crashed repeatedly and waits (circuit open). */
  state: 'starting' | 'serving' | 'restarting' | 'crashed' | 'failed' | 'disabled' | 'incompatible' | 'stopped';
  /** Where the plugin runs. */
  isolation?: 'in-process' | 'worker' | 'process';
  tools: number;
  resources: number;
  prompts: number;
  warnings: string[];
  error?: { code: string; message: string };
  source?: string;
}

/** Reads the state of every instance. */
export interface HostStatusReader {
  list(): InstanceStatus[];
  /** Why plugins.json could not be used, if it could not (the host then serves only its own tools). */
  configError(): string | undefined;
}

export const HOST_INFO = token<HostInfo>('HostInfo');
export const HOST_STATUS = token<HostStatusReader>('HostStatus');
/** The plugin's own context (the same object as `ctx`). */
export const PLUGIN_CONTEXT = token<PluginContext>('PluginContext');
export const PLUGIN_CONFIG = token<Record<string, unknown>>('PluginConfig');
export const PLUGIN_LOGGER = token<PluginLogger>('PluginLogger');
export const INSTANCE_ID = token<string>('InstanceId');
