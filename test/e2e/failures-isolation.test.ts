import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePluginsDir, hostStatus, pluginToolNames } from '../helpers/host-status.js';
import { nodeBinaries } from '../helpers/node-binaries.js';
import { runCli } from '../helpers/run-cli.js';
import { spawnHost, writeConfig, type HostUnderTest } from '../helpers/spawn-host.js';

/** One config: a good `hello` next to one instance per way a plugin can fail. */
const brokenInstances = {
  'bad-json': { plugin: 'fail-bad-json' },
  'unknown-key': { plugin: 'fail-unknown-key' },
  'host-api': { plugin: 'fail-host-api' },
  'import-throws': { plugin: 'fail-import-throws' },
  'register-throws': { plugin: 'fail-register-throws' },
  'start-throws': { plugin: 'fail-start-throws' },
  'start-hangs': { plugin: 'fail-start-hangs' },
  'bad-config': { plugin: 'fail-config-schema', config: { port: 'eighty' } },
  'missing-plugin': { plugin: 'no-such-plugin' },
  dotted: { plugin: 'fail-dotted-name' },
};

/** Expected state, error code and a piece of the reason for each broken instance. */
const expected: Record<keyof typeof brokenInstances, { state: string; code: string; reason: string | RegExp }> = {
  'bad-json': { state: 'failed', code: 'MANIFEST_INVALID', reason: /fail-bad-json[\\/]plugin\.json: .*JSON/ },
  'unknown-key': { state: 'failed', code: 'MANIFEST_INVALID', reason: 'colour: unknown key' },
  'host-api': { state: 'incompatible', code: 'HOST_API_MISMATCH', reason: 'plugin "fail-host-api" needs host API ^2.0.0, this host provides 1.0.0' },
  'import-throws': { state: 'failed', code: 'IMPORT_FAILED', reason: 'fail-import-throws exploded at import' },
  'register-throws': { state: 'failed', code: 'REGISTER_FAILED', reason: 'fail-register-throws exploded in register' },
  'start-throws': { state: 'failed', code: 'START_FAILED', reason: 'fail-start-throws exploded in start' },
  'start-hangs': { state: 'failed', code: 'TIMEOUT', reason: /start of instance "start-hangs" did not finish within 1500 ms/ },
  'bad-config': { state: 'failed', code: 'PLUGIN_CONFIG_INVALID', reason: 'plugins.bad-config.config.port' },
  'missing-plugin': { state: 'failed', code: 'PLUGIN_NOT_FOUND', reason: 'no-such-plugin' },
  dotted: { state: 'failed', code: 'NAME_INVALID', reason: 'read.file' },
};

describe.each(nodeBinaries())('failure isolation ($label)', ({ path: node }) => {
  let host: HostUnderTest;
  let markers: string;
  let configPath: string;
  beforeAll(async () => {
    markers = mkdtempSync(join(tmpdir(), 'mcp-host-markers-'));
    configPath = writeConfig({
      pluginDirs: [fixturePluginsDir],
      timeouts: { startMs: 1500 },
      plugins: { hello: { config: { greeting: 'Hi' } }, ...brokenInstances },
    });
    host = await spawnHost({ configPath, node, env: { MCP_FIXTURE_MARKERS: markers } });
    // The first list waits until every instance has started or failed.
    await host.client.listTools();
  });
  afterAll(() => host?.close());

  it.each(Object.entries(expected))('marks %s with its reason in host__status', async (id, want) => {
    const instance = (await hostStatus(host.client)).byId(id);
    expect(instance.state).toBe(want.state);
    expect(instance.error?.code).toBe(want.code);
    if (typeof want.reason === 'string') expect(instance.error?.message).toContain(want.reason);
    else expect(instance.error?.message).toMatch(want.reason);
    expect(instance.tools).toBe(0);
  });

  it('gives the exact host API message for an incompatible plugin', async () => {
    const instance = (await hostStatus(host.client)).byId('host-api');
    expect(instance.error?.message).toBe('plugin "fail-host-api" needs host API ^2.0.0, this host provides 1.0.0');
  });

  it('keeps serving the good instance and exposes nothing of the broken ones', async () => {
    const status = await hostStatus(host.client);
    expect(status.byId('hello').state).toBe('serving');
    const { tools } = await host.client.listTools();
    expect(pluginToolNames(tools)).toEqual(['hello__greet']);
    const result = await host.client.callTool({ name: 'hello__greet', arguments: { name: 'Ada' } });
    expect(result.content).toEqual([{ type: 'text', text: 'Hi, Ada!' }]);
    expect(host.badStdout).toEqual([]);
  });

  it('never imports code of a plugin refused from its plugin.json or its config', () => {
    // Control: a plugin that is imported writes its marker, so a missing marker means no code ran.
    expect(existsSync(join(markers, 'fail-import-throws.imported'))).toBe(true);
    for (const id of ['fail-bad-json', 'fail-unknown-key', 'fail-host-api', 'fail-config-schema']) {
      expect(existsSync(join(markers, `${id}.imported`)), `${id} was imported`).toBe(false);
    }
  });

  it('logs each failure with its reason on stderr', () => {
    const stderr = host.stderr();
    for (const [id, want] of Object.entries(expected)) {
      const lines = stderr.split('\n').filter((l) => l.includes(`[${id}]`) && l.includes(want.code));
      expect(lines.length, `no stderr line for ${id} with ${want.code}:\n${stderr}`).toBeGreaterThan(0);
      if (typeof want.reason === 'string') expect(lines.join('\n')).toContain(want.reason);
      else expect(lines.join('\n')).toMatch(want.reason);
    }
  });

  it('reports the same states through mcp-host list', async () => {
    const run = await runCli(['list', '--config', configPath, '--json'], { node, env: { MCP_FIXTURE_MARKERS: markers } });
    const listed = JSON.parse(run.stdout) as { instances: { instance: string; state: string; error?: { code: string } }[] };
    const byId = new Map(listed.instances.map((i) => [i.instance, i]));
    expect(byId.get('hello')?.state).toBe('serving');
    for (const [id, want] of Object.entries(expected)) {
      expect(byId.get(id)?.state, id).toBe(want.state);
      expect(byId.get(id)?.error?.code, id).toBe(want.code);
    }
  });
});
