import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describeError } from '../util/host-error.js';
import { readManifest, type PluginDescriptor } from './manifest.js';

export interface Discovery {
  /** Plugin id → the plugin. Built-ins come first; a later folder cannot shadow an id already found. */
  plugins: Map<string, PluginDescriptor>;
  /** Folders whose plugin.json is broken or whose id is taken: reported, never fatal. */
  problems: { dir: string; code: string; message: string; id?: string }[];
}

/** Scans each folder for sub-folders holding a plugin.json. Reads manifests only; imports nothing. */
export function discoverPlugins(dirs: { dir: string; builtin: boolean }[]): Discovery {
  const plugins = new Map<string, PluginDescriptor>();
  const problems: Discovery['problems'] = [];
  for (const { dir, builtin } of dirs) {
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() && !entry.isSymbolicLink()) continue;
      const pluginDir = join(dir, entry.name);
      if (!existsSync(join(pluginDir, 'plugin.json'))) continue;
      try {
        const found = readManifest(pluginDir, builtin);
        const existing = plugins.get(found.manifest.id);
        if (existing) {
          problems.push({ dir: pluginDir, id: found.manifest.id, code: 'MANIFEST_INVALID', message: `plugin id "${found.manifest.id}" in ${pluginDir} is already provided by ${existing.dir}; ignored` });
          continue;
        }
        plugins.set(found.manifest.id, found);
      } catch (error) {
        problems.push({ dir: pluginDir, id: entry.name, ...describeError(error, 'MANIFEST_INVALID') });
      }
    }
  }
  return { plugins, problems };
}
