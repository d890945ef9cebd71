import { findConfigFile } from '../config/find-config-file.js';
import { createHost } from '../host.js';
import { print } from './print.js';

/** Starts every instance once (no client attached), prints each with its state and exposed names, then stops them. */
export async function list(configFlag: string | undefined, json: boolean): Promise<number> {
  const host = createHost({ configPath: findConfigFile(configFlag), logLevel: 'error' });
  await host.start();
  const instances = host.manager.list().map((status) => {
    const surface = host.registry.surfaceOf(status.instance);
    return {
      ...status,
      exposed: {
        tools: [...(surface?.tools.keys() ?? [])].sort(),
        resources: [...(surface?.resources.keys() ?? []), ...(surface?.templates.keys() ?? [])].sort(),
        prompts: [...(surface?.prompts.keys() ?? [])].sort(),
      },
    };
  });
  await host.stop();
  if (json) {
    print(JSON.stringify({ config: host.config.path, ...(host.configError ? { configError: host.configError } : {}), instances }, null, 2));
  } else {
    print(`config: ${host.config.path}`);
    if (host.configError) print(`  not loaded: ${host.configError}`);
    for (const s of instances) {
      print(`${s.instance}  plugin=${s.plugin}${s.version ? '@' + s.version : ''}  state=${s.state}  namespace=${s.namespace === '' ? '(none)' : s.namespace}`);
      if (s.error) print(`    error ${s.error.code}: ${s.error.message}`);
      for (const w of s.warnings) print(`    warning: ${w}`);
      for (const kind of ['tools', 'resources', 'prompts'] as const) if (s.exposed[kind].length) print(`    ${kind}: ${s.exposed[kind].join(', ')}`);
    }
  }
  return host.configError || instances.some((s) => s.state === 'failed' || s.state === 'incompatible') ? 1 : 0;
}
