import { findConfigFile } from '../config/find-config-file.js';
import { salvageConfig } from '../config/load-config.js';
import { createHost } from '../host.js';
import { print } from './print.js';

/** Exit 0 when plugins.json and every enabled instance check out, else 1 with every error and its JSON path. */
export async function validate(configFlag: string | undefined): Promise<number> {
  const configPath = findConfigFile(configFlag);
  const host = createHost({ configPath, logLevel: 'error' });
  if (host.configError) {
    print(host.configError);
    // Every error in one run: also check the instances the file-level errors do not touch.
    const salvaged = salvageConfig(configPath);
    if (salvaged?.config.instances.length) {
      const partial = createHost({ configPath, logLevel: 'error', loaded: salvaged });
      for (const p of partial.manager.check(partial.instanceErrors)) print(`  ${p}`);
    }
    return 1;
  }
  const problems = host.manager.check(host.instanceErrors);
  if (problems.length === 0) {
    print(`${host.config.path}: valid (${host.config.instances.length} instances)`);
    return 0;
  }
  print(`${host.config.path}: ${problems.length} problem${problems.length > 1 ? 's' : ''}`);
  for (const p of problems) print(`  ${p}`);
  return 1;
}
