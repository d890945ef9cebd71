import { register } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { PluginModule } from '../api/plugin-api.js';
import { HostError } from '../util/host-error.js';
import type { InstanceConfig } from '../config/config-types.js';
import type { IsolationHealth } from '../isolation/isolated-plugin.js';
import type { PluginDescriptor } from './manifest.js';

/** What the plugin manager tells a loader about the instance it loads for. */
export interface LoadRequest {
  instance: InstanceConfig;
  /** Changes when the plugin's files changed: 0 is the code as first found. */
  codeVersion: number;
  /** Folder of plugins.json. */
  baseDir: string;
  /** An isolated plugin reports crashes and recoveries of its guest here (shown by host__status). */
  health(health: IsolationHealth): void;
}

/** How a plugin's entry module gets loaded: imported in this process, or a proxy of one in a worker or child process. */
export interface ModuleLoader {
  load(plugin: PluginDescriptor, request: LoadRequest): Promise<PluginModule>;
}

let hooksRegistered = false;

/**
 * Imports the entry in this process. Code version 0 is a plain import; later versions import
 * `entry?mcp-host-gen=N&root=DIR`, and a resolve hook carries that query to every file of the
 * plugin folder, so edited code anywhere in the folder is evaluated again. ES modules cannot be
 * unloaded: each code version stays in memory (worker isolation is the way to reclaim it).
 */
export class InProcessModuleLoader implements ModuleLoader {
  async load(plugin: PluginDescriptor, { codeVersion, instance: { id: instance } }: Pick<LoadRequest, 'codeVersion' | 'instance'>): Promise<PluginModule> {
    let url = pathToFileURL(plugin.entry).href;
    if (codeVersion > 0) {
      if (!hooksRegistered) {
        register(new URL('./generation-hooks.js', import.meta.url));
        hooksRegistered = true;
      }
      url += `?mcp-host-gen=${codeVersion}&root=${encodeURIComponent(plugin.dir)}`;
    }
    let namespace: { default?: unknown };
    try {
      namespace = await import(url);
    } catch (error) {
      throw new HostError('IMPORT_FAILED', `plugin "${plugin.manifest.id}" failed to load ${plugin.entry}: ${(error as Error).message}`, { instance, cause: error });
    }
    const candidate = namespace.default as Partial<PluginModule> | undefined;
    if (!candidate || typeof candidate.register !== 'function') {
      throw new HostError('IMPORT_FAILED', `plugin "${plugin.manifest.id}": the default export of ${plugin.entry} must be { register(ctx), start?(ctx), stop?(ctx) }`, {
        instance,
        expected: 'an object with a register function',
        actual: candidate === undefined ? 'no default export' : typeof candidate,
      });
    }
    return candidate as PluginModule;
  }
}
