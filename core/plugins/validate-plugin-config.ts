import type { InstanceConfig } from '../config/config-types.js';
import { HostError } from '../util/host-error.js';
import { compileValidator, type Validator } from '../util/json-schema.js';
import type { PluginDescriptor } from './manifest.js';

const compiled = new WeakMap<PluginDescriptor, Validator>();

/** Validates an instance's `config` against its plugin's `configSchema`, filling defaults; errors name the JSON path. */
export function validatePluginConfig(plugin: PluginDescriptor, instance: InstanceConfig): Record<string, unknown> {
  const schema = plugin.manifest.configSchema;
  const value = structuredClone(instance.config);
  if (!schema) return value;
  let validate = compiled.get(plugin);
  if (!validate) {
    try {
      validate = compileValidator(schema);
    } catch (error) {
      throw new HostError('MANIFEST_INVALID', `plugin "${plugin.manifest.id}": configSchema does not compile: ${(error as Error).message}`, { instance: instance.id });
    }
    compiled.set(plugin, validate);
  }
  const problems = validate(value).map((p) => `plugins.${instance.id}.config${p.startsWith('(root)') ? p.slice(6) : '.' + p}`);
  if (problems.length > 0) {
    throw new HostError('PLUGIN_CONFIG_INVALID', problems.join('; '), { instance: instance.id, actual: problems.join('; ') });
  }
  return value;
}
