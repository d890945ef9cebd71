import { mkdtempSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findConfigFile } from '../../core/config/find-config-file.js';
import { loadConfig, parseConfig } from '../../core/config/load-config.js';
import { HostError } from '../../core/util/host-error.js';

const dir = () => mkdtempSync(join(tmpdir(), 'mcp-host-config-'));

describe('loadConfig', () => {
  it('fills defaults, resolves plugin folders against the file and expands ~', () => {
    const d = dir();
    const { config } = parseConfig({ pluginDirs: ['./extra', '~/p'], plugins: { hello: {}, db: { plugin: 'postgres', namespace: '' } } }, join(d, 'plugins.json'), {});
    expect(config.pluginDirs).toEqual([join(d, 'extra'), join(homedir(), 'p')]);
    expect(config.timeouts).toEqual({ registerMs: 5000, startMs: 15000, stopMs: 3000, drainMs: 10000 });
    expect(config.instances).toEqual([
      { id: 'hello', plugin: 'hello', enabled: true, namespace: 'hello', config: {} },
      { id: 'db', plugin: 'postgres', enabled: true, namespace: '', config: {} },
    ]);
  });

  it('lists every problem with its JSON path', () => {
    const raw = { logLevel: 'loud', extra: 1, plugins: { 'a__b': {}, ok: { enabled: 'yes', config: [] } } };
    let error: HostError | undefined;
    try {
      parseConfig(raw, '/x/plugins.json', {});
    } catch (e) {
      error = e as HostError;
    }
    expect(error?.code).toBe('CONFIG_INVALID');
    expect(error?.message).toContain('logLevel: must be one of "error", "warn", "info", "debug"');
    expect(error?.message).toContain('extra: unknown key');
    expect(error?.message).toContain('plugins.ok.enabled: must be boolean');
    expect(error?.message).toContain('plugins.ok.config: must be object');
    expect(error?.message).toMatch(/plugins.*a__b|property name/);
  });

  it('fills variables from the environment over .env, and reports unset ones per enabled instance', () => {
    const d = dir();
    writeFileSync(join(d, '.env'), 'FROM_FILE=file-value\nBOTH=file\n');
    writeFileSync(
      join(d, 'plugins.json'),
      JSON.stringify({ plugins: { a: { config: { x: '${FROM_FILE}', y: '${BOTH}', z: '${NOPE:-dflt}' } }, b: { config: { u: '${UNSET_ONE}' } }, c: { enabled: false, config: { u: '${UNSET_TWO}' } } } }),
    );
    const { config, instanceErrors } = loadConfig(join(d, 'plugins.json'), { BOTH: 'environment' });
    expect(config.instances[0].config).toEqual({ x: 'file-value', y: 'environment', z: 'dflt' });
    expect(config.secrets).toEqual(expect.arrayContaining(['file-value', 'environment']));
    expect([...instanceErrors.keys()]).toEqual(['b']);
    expect(instanceErrors.get('b')?.[0]).toContain('${UNSET_ONE} is not set');
  });

  it('names the file when it is missing or not JSON', () => {
    const d = dir();
    expect(() => loadConfig(join(d, 'nope.json'), {})).toThrow(/CONFIG_NOT_FOUND|cannot read config/);
    writeFileSync(join(d, 'bad.json'), '{ nope');
    expect(() => loadConfig(join(d, 'bad.json'), {})).toThrow(/bad\.json is not valid JSON/);
  });
});

describe('findConfigFile', () => {
  it('prefers --config, then MCP_HOST_CONFIG, then ./plugins.json, then the user folder', () => {
    const d = dir();
    expect(findConfigFile('a.json', { MCP_HOST_CONFIG: 'b.json' }, d)).toBe(join(d, 'a.json'));
    expect(findConfigFile(undefined, { MCP_HOST_CONFIG: 'b.json' }, d)).toBe(join(d, 'b.json'));
    expect(findConfigFile(undefined, { XDG_CONFIG_HOME: '/xdg' }, d)).toBe(process.platform === 'linux' ? '/xdg/mcp-host/plugins.json' : expect.any(String));
    writeFileSync(join(d, 'plugins.json'), '{}');
    expect(findConfigFile(undefined, {}, d)).toBe(join(d, 'plugins.json'));
  });
});
