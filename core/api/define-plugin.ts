import type { PluginModule } from './plugin-api.js';

/** Identity helper that gives a plugin's default export full types: `export default definePlugin<MyConfig>({ register(ctx) {...} })`. */
export function definePlugin<C = Record<string, unknown>>(plugin: PluginModule<C>): PluginModule<C> {
  return plugin;
}
