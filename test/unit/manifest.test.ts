import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkHostApi } from '../../core/plugins/check-host-api.js';
import { discoverPlugins } from '../../core/plugins/discover-plugins.js';
import { readManifest } from '../../core/plugins/manifest.js';

function pluginDir(root: string, name: string, manifest: unknown): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'plugin.json'), typeof manifest === 'string' ? manifest : JSON.stringify(manifest));
  return dir;
}

const good = { id: 'hello', version: '1.2.0', hostApi: '^1.0.0', main: 'index.js' };

describe('plugin manifests', () => {
  it('accepts a valid manifest and resolves the entry inside the folder', () => {
    const root = mkdtempSync(join(tmpdir(), 'mcp-host-manifest-'));
    const found = readManifest(pluginDir(root, 'hello', good), false);
    expect(found.entry).toBe(join(root, 'hello', 'index.js'));
  });

  it('refuses unknown keys, bad versions and entries outside the folder', () => {
    const root = mkdtempSync(join(tmpdir(), 'mcp-host-manifest-'));
    expect(() => readManifest(pluginDir(root, 'a', { ...good, mian: 'x.js' }), false)).toThrow(/mian: unknown key/);
    expect(() => readManifest(pluginDir(root, 'b', { ...good, version: 'one' }), false)).toThrow(/not a semver version/);
    expect(() => readManifest(pluginDir(root, 'c', { ...good, hostApi: 'whatever' }), false)).toThrow(/not a semver range/);
    expect(() => readManifest(pluginDir(root, 'd', { ...good, main: '../../evil.js' }), false)).toThrow(/outside the plugin folder/);
    expect(() => readManifest(pluginDir(root, 'e', '{ broken'), false)).toThrow(/MANIFEST_INVALID|JSON/);
  });

  it('checks hostApi with semver, naming both versions', () => {
    expect(() => checkHostApi({ ...good, hostApi: '^1.0.0' }, '1.0.0')).not.toThrow();
    expect(() => checkHostApi({ ...good, hostApi: '>=1.0.0-0' }, '1.1.0-beta.1')).not.toThrow();
    expect(() => checkHostApi({ ...good, hostApi: '^2.0.0' }, '1.0.0')).toThrow('plugin "hello" needs host API ^2.0.0, this host provides 1.0.0');
  });

  it('discovers plugins across folders; a later folder cannot shadow an earlier id; broken ones are reported', () => {
    const a = mkdtempSync(join(tmpdir(), 'mcp-host-a-'));
    const b = mkdtempSync(join(tmpdir(), 'mcp-host-b-'));
    pluginDir(a, 'hello', good);
    pluginDir(b, 'hello', { ...good, version: '9.9.9' });
    pluginDir(b, 'broken', '{');
    mkdirSync(join(b, 'not-a-plugin'));
    const found = discoverPlugins([{ dir: a, builtin: true }, { dir: b, builtin: false }, { dir: join(b, 'missing'), builtin: false }]);
    expect([...found.plugins.keys()]).toEqual(['hello']);
    expect(found.plugins.get('hello')?.manifest.version).toBe('1.2.0');
    expect(found.problems.map((p) => p.id).sort()).toEqual(['broken', 'hello']);
  });
});
