import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePluginsDir, hostStatus, pluginToolNames } from '../helpers/host-status.js';
import { nodeBinaries } from '../helpers/node-binaries.js';
import { runCli } from '../helpers/run-cli.js';
import { spawnHost, writeConfig, type HostUnderTest } from '../helpers/spawn-host.js';

const CLIENT_SAFE = /^[a-zA-Z0-9_-]{1,64}$/;
const LONG_NAME = /export const LONG_NAME = '([^']+)'/.exec(readFileSync(join(fixturePluginsDir, 'life-long-name', 'index.js'), 'utf8'))![1];

describe.each(nodeBinaries())('exposed names ($label)', ({ path: node }) => {
  let host: HostUnderTest;
  beforeAll(async () => {
    const configPath = writeConfig({
      pluginDirs: [fixturePluginsDir],
      plugins: {
        hello: {},
        longname: { plugin: 'life-long-name' },
        // A user instance may not take the host's own namespace.
        impostor: { plugin: 'hello', namespace: 'host' },
      },
    });
    host = await spawnHost({ configPath, node });
  });
  afterAll(() => host?.close());

  it('fits a 70-character tool name into 64 characters and keeps it callable', async () => {
    expect(LONG_NAME).toHaveLength(70);
    const { tools } = await host.client.listTools();
    for (const tool of tools) expect(tool.name).toMatch(CLIENT_SAFE);
    const long = pluginToolNames(tools).filter((n) => n.startsWith('longname__'));
    expect(long).toHaveLength(1);
    expect(long[0].length).toBeLessThanOrEqual(64);
    const result = await host.client.callTool({ name: long[0], arguments: {} });
    expect(result.isError).toBeFalsy();
    expect(result.content).toEqual([{ type: 'text', text: `called ${LONG_NAME}` }]);
  });

  it('refuses a user instance in the "host" namespace and keeps the host\'s own tools', async () => {
    const status = await hostStatus(host.client);
    const impostor = status.byId('impostor');
    expect(impostor.state).toBe('failed');
    expect(impostor.error?.code).toBe('NAME_INVALID');
    expect(impostor.error?.message).toContain('"host"');
    expect(status.byId('hello').state).toBe('serving');
    const { tools } = await host.client.listTools();
    expect(tools.filter((t) => t.name === 'host__status')).toHaveLength(1);
    expect(host.badStdout).toEqual([]);
  });
});

/** Instance keys the schema refuses: the whole file is invalid, the daemon serves only its own tools and says why. */
const badKeys = [
  { label: 'a key with "__"', plugins: { bad__name: { plugin: 'hello' } }, path: 'plugins.bad__name' },
  { label: 'a key ending in "_"', plugins: { trailing_: { plugin: 'hello' } }, path: 'plugins.trailing_' },
  { label: 'the reserved key "host"', plugins: { host: { plugin: 'hello' } }, path: 'plugins.host' },
  { label: 'a namespace with "__"', plugins: { fine: { plugin: 'hello', namespace: 'a__b' } }, path: 'plugins.fine.namespace' },
];

describe('invalid instance names', () => {
  it.each(badKeys)('validate refuses $label and names its path', async ({ plugins, path }) => {
    const configPath = writeConfig({ plugins: { hello: {}, ...plugins } });
    const run = await runCli(['validate', '--config', configPath]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`${path}: `);
  });

  describe.each(badKeys)('the daemon with $label', ({ plugins, path }) => {
    let host: HostUnderTest;
    beforeAll(async () => {
      host = await spawnHost({ configPath: writeConfig({ plugins: { hello: {}, ...plugins } }) });
    });
    afterAll(() => host?.close());

    it('still serves host__status, which shows the config error with its path', async () => {
      const status = await hostStatus(host.client);
      expect(status.configError).toContain(`${path}: `);
      expect(status.text).toContain(path);
      const { tools } = await host.client.listTools();
      expect(pluginToolNames(tools)).toEqual([]);
      expect(tools.map((t) => t.name)).toContain('host__status');
    });
  });
});
