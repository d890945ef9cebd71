import { realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * The watcher names folders by the configured path; manifests by their real path (see readManifest).
 * Adds the real paths so a pluginDirs entry that goes through a symlink still matches, also for a removed folder.
 */
export function withRealPaths(dirs: Set<string>): Set<string> {
  const all = new Set(dirs);
  for (const dir of dirs) {
    for (const real of [() => realpathSync(dir), () => join(realpathSync(dirname(dir)), basename(dir))]) {
      try {
        all.add(real());
      } catch {
        // gone, or its parent is: the configured path is all there is
      }
    }
  }
  return all;
}

