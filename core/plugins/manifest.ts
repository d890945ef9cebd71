import { readFileSync, realpathSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import semver from 'semver';
import { HostError } from '../util/host-error.js';
import { compileValidator, type Validator } from '../util/json-schema.js';
import { manifestSchema } from './manifest-schema.js';

/** plugin.json, checked. */
export interface PluginManifest {
  id: string;
  name?: string;
  version: string;
  description?: string;
  /** Semver range of host plugin API versions this plugin works with. */
  hostApi: string;
  /** Entry module, relative to the plugin folder. */
  main: string;
  configSchema?: Record<string, unknown>;
}

/** A plugin found on disk: its folder, manifest and where it came from. */
export interface PluginDescriptor {
  dir: string;
  manifest: PluginManifest;
  /** Absolute path of the entry module. */
  entry: string;
  builtin: boolean;
}

let validateManifest: Validator | undefined;

/** Reads and checks `<dir>/plugin.json` without importing any code. */
export function readManifest(folder: string, builtin: boolean): PluginDescriptor {
  // The real path: module URLs are resolved through symlinks, and reload matches files against this folder.
  const dir = realpathSync(folder);
  const file = join(dir, 'plugin.json');
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new HostError('MANIFEST_INVALID', `${file}: ${(error as Error).message}`);
  }
  validateManifest ??= compileValidator(manifestSchema);
  const problems = validateManifest(doc);
  if (problems.length > 0) throw new HostError('MANIFEST_INVALID', `${file}: ${problems.join('; ')}`);
  const manifest = doc as PluginManifest;
  if (!semver.valid(manifest.version)) {
    throw new HostError('MANIFEST_INVALID', `${file}: version "${manifest.version}" is not a semver version`, { expected: 'x.y.z', actual: manifest.version });
  }
  if (!semver.validRange(manifest.hostApi)) {
    throw new HostError('MANIFEST_INVALID', `${file}: hostApi "${manifest.hostApi}" is not a semver range`, { expected: 'a range such as ^1.0.0', actual: manifest.hostApi });
  }
  const entry = resolve(dir, manifest.main);
  const rel = relative(dir, entry);
  if (rel.startsWith('..') || isAbsolute(rel)) {
    throw new HostError('MANIFEST_INVALID', `${file}: main "${manifest.main}" points outside the plugin folder`);
  }
  return { dir, manifest, entry, builtin };
}
