import { cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixturePluginsDir } from './host-status.js';

/**
 * A temp folder for hot-reload tests: plugins.json plus a plugin directory holding COPIES of fixture
 * plugins. Tests edit only these copies, never the fixtures under test/fixtures/plugins.
 */
export interface ReloadSandbox {
  dir: string;
  configPath: string;
  /** The folder listed in `pluginDirs`. */
  pluginsDir: string;
  /** Copies fixture plugin folder `id` into `pluginsDir` (or into `into`); returns the copy's path. */
  addPlugin(id: string, into?: string): string;
  removePlugin(id: string): void;
  /** Path of a file inside the copy of plugin `id`. */
  pluginFile(id: string, rel: string): string;
  /** Rewrites one file of the copy of plugin `id`. */
  editPlugin(id: string, rel: string, edit: (text: string) => string): void;
  /**
   * Writes plugins.json with `pluginDirs: [pluginsDir]` and the given instances. `rename` saves the way
   * many editors do: write a temp file beside it, then rename it over plugins.json.
   */
  writeConfig(plugins: Record<string, object>, extra?: Record<string, unknown>, how?: 'write' | 'rename'): void;
  /** Writes plugins.json verbatim (for broken files). */
  writeConfigText(text: string): void;
}

export function createReloadSandbox(plugins: string[]): ReloadSandbox {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-host-reload-'));
  const pluginsDir = join(dir, 'plugins');
  const configPath = join(dir, 'plugins.json');
  mkdirSync(pluginsDir);
  const sandbox: ReloadSandbox = {
    dir,
    configPath,
    pluginsDir,
    addPlugin(id, into = pluginsDir) {
      const target = join(into, id);
      cpSync(join(fixturePluginsDir, id), target, { recursive: true });
      return target;
    },
    removePlugin: (id) => rmSync(join(pluginsDir, id), { recursive: true, force: true }),
    pluginFile: (id, rel) => join(pluginsDir, id, rel),
    editPlugin(id, rel, edit) {
      const file = join(pluginsDir, id, rel);
      const before = readFileSync(file, 'utf8');
      const after = edit(before);
      if (after === before) throw new Error(`editPlugin(${id}, ${rel}): the edit changed nothing`);
      writeFileSync(file, after);
    },
    writeConfig(instances, extra = {}, how = 'write') {
      const text = JSON.stringify({ pluginDirs: [pluginsDir], ...extra, plugins: instances }, null, 2);
      if (how === 'write') return writeFileSync(configPath, text);
      const temp = join(dir, `.plugins.json.${process.pid}.tmp`);
      writeFileSync(temp, text);
      renameSync(temp, configPath);
    },
    writeConfigText: (text) => writeFileSync(configPath, text),
  };
  for (const id of plugins) sandbox.addPlugin(id);
  return sandbox;
}
