// The plugins.json files the host runs with, written into a temp folder that is removed at the end.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MANY_INSTANCES, MANY_TOOLS_PER_INSTANCE, manyInstanceName } from './many.mjs';

export const benchDir = dirname(dirname(fileURLToPath(import.meta.url)));
export const repoDir = dirname(benchDir);
export const fixturePluginDir = join(benchDir, 'fixtures', 'plugins');
export const builtinPluginDir = join(repoDir, 'dist', 'plugins');

let workDir;

/** A private temp folder for this run (configs, and a folder plugins that want a path can point at). */
export function workFolder() {
  workDir ??= mkdtempSync(join(tmpdir(), 'mcp-host-bench-'));
  return workDir;
}

export function removeWorkFolder() {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
  workDir = undefined;
}

function writeConfig(name, config) {
  const path = join(workFolder(), `${name}.plugins.json`);
  writeFileSync(path, JSON.stringify(config, null, 2));
  return path;
}

/**
 * Every built-in plugin of dist/plugins enabled, each with a config that satisfies its schema
 * (required values are filled with harmless samples: a temp folder for paths, an unreachable
 * local URL for connections; plugins connect lazily, so start-up does not wait on them).
 */
export function builtinConfig() {
  const plugins = {};
  for (const id of existsSync(builtinPluginDir) ? readdirSync(builtinPluginDir).sort() : []) {
    const manifestPath = join(builtinPluginDir, id, 'plugin.json');
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    // mcp-server needs a server to mount: the bare SDK echo server, so that instance serves too.
    const config = manifest.id === 'mcp-server' ? { command: process.execPath, args: [join(benchDir, 'servers', 'bare-sdk-server.mjs')] } : manifest.configSchema ? sampleObject(manifest.configSchema) : {};
    plugins[manifest.id] = { plugin: manifest.id, config };
  }
  return { path: writeConfig('builtin', { logLevel: 'info', plugins }), instances: Object.keys(plugins) };
}

/** The echo fixture alone (plus the host's own namespace). */
export function echoConfig() {
  // In-process, as built-in plugins run: this measures the host's own overhead (bench/isolation compares the modes).
  return writeConfig('echo', { pluginDirs: [fixturePluginDir], logLevel: 'info', plugins: { echo: { isolation: 'in-process' } } });
}

/** 100 instances × 20 tools of the `many` fixture, on one page. */
export function manyConfig(instances = MANY_INSTANCES, perInstance = MANY_TOOLS_PER_INSTANCE) {
  const plugins = {};
  for (let i = 0; i < instances; i++) plugins[manyInstanceName(i)] = { plugin: 'many', config: { count: perInstance }, isolation: 'in-process' };
  const listPageSize = Math.max(5000, instances * perInstance + 100);
  return writeConfig('many', { pluginDirs: [fixturePluginDir], logLevel: 'info', listPageSize, plugins });
}

function sampleObject(schema) {
  const out = {};
  for (const key of schema.required ?? []) {
    const property = schema.properties?.[key] ?? {};
    if (property.default === undefined) out[key] = sampleValue(property, key);
  }
  return out;
}

function sampleValue(schema, key) {
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === 'object' || schema.properties) return sampleObject(schema);
  if (type === 'array') return schema.items ? [sampleValue(schema.items, key)] : [];
  if (type === 'boolean') return false;
  if (type === 'integer' || type === 'number') return schema.minimum ?? 1;
  if (/url|uri|connection|dsn|host/i.test(key) || schema.format === 'uri') return 'postgres://bench:bench@127.0.0.1:9/bench';
  if (/path|dir|root|file|folder|socket/i.test(key)) return workFolder();
  return 'bench';
}
