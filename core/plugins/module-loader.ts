import { pathToFileURL } from 'node:url';
import type { PluginModule } from '../api/plugin-api.js';
import { HostError } from '../util/host-error.js';
import type { PluginDescriptor } from './manifest.js';

/** How a plugin's entry module gets loaded. In-process today; a worker or child-process loader fits the same shape. */
export interface ModuleLoader {
  load(plugin: PluginDescriptor, generation: number, instance: string): Promise<PluginModule>;
}

/** Imports the entry in this process. A generation past the first gets a fresh URL so edited code is evaluated again. */
export class InProcessModuleLoader implements ModuleLoader {
  async load(plugin: PluginDescriptor, generation: number, instance: string): Promise<PluginModule> {
    const url = pathToFileURL(plugin.entry).href + (generation > 1 ? `?generation=${generation}` : '');
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
