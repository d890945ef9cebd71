import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePluginsDir, hostStatus, pluginToolNames } from '../helpers/host-status.js';
import { nodeBinaries } from '../helpers/node-binaries.js';
import { spawnHost, writeConfig, type HostUnderTest } from '../helpers/spawn-host.js';

describe.each(nodeBinaries())('start-up: the first list waits for slow plugins, within a bound ($label)', ({ path: node }) => {
  describe('a plugin that starts within startupWaitMs', () => {
    let host: HostUnderTest;
    beforeAll(async () => {
      const configPath = writeConfig({
        pluginDirs: [fixturePluginsDir],
        startupWaitMs: 5000,
        plugins: { hello: {}, slow: { plugin: 'life-slow-start', config: { delayMs: 1500 } } },
      });
      host = await spawnHost({ configPath, node });
    });
    afterAll(() => host?.close());

    it('is already in the very first tools/list', async () => {
      const { tools } = await host.client.listTools();
      expect(pluginToolNames(tools)).toEqual(['hello__greet', 'slow__ping']);
      const result = await host.client.callTool({ name: 'slow__ping', arguments: {} });
      expect(result.content).toEqual([{ type: 'text', text: 'pong from slow' }]);
    });
  });

  describe('a plugin that starts after startupWaitMs', () => {
    let host: HostUnderTest;
    let listChanged!: Promise<void>;
    beforeAll(async () => {
      const configPath = writeConfig({
        pluginDirs: [fixturePluginsDir],
        // Wide margins both ways: hello must make the bound even on a loaded machine, late must miss it.
        startupWaitMs: 2500,
        timeouts: { startMs: 20000 },
        plugins: { hello: {}, late: { plugin: 'life-slow-start', config: { delayMs: 7000 } } },
      });
      host = await spawnHost({
        configPath,
        node,
        setup: (client) => {
          listChanged = new Promise((resolve) => client.setNotificationHandler(ToolListChangedNotificationSchema, () => resolve()));
        },
      });
    });
    afterAll(() => host?.close());

    it('does not hold up initialize: the instance is still starting once initialize is answered', async () => {
      // spawnHost resolved after initialize; the plugin needs 7 s to start, so it must not be serving yet.
      expect((await hostStatus(host.client)).byId('late').state).toBe('starting');
    });

    it('is left out of the first tools/list, which still has everything else', async () => {
      const { tools } = await host.client.listTools();
      expect(pluginToolNames(tools)).toEqual(['hello__greet']);
      expect(tools.map((t) => t.name)).toContain('host__status');
    });

    it('joins later: the client gets tools/list_changed and the next list has its tools', async () => {
      await listChanged;
      const { tools } = await host.client.listTools();
      expect(pluginToolNames(tools)).toEqual(['hello__greet', 'late__ping']);
      expect((await hostStatus(host.client)).byId('late').state).toBe('serving');
      const result = await host.client.callTool({ name: 'late__ping', arguments: {} });
      expect(result.content).toEqual([{ type: 'text', text: 'pong from late' }]);
      expect(host.badStdout).toEqual([]);
    });
  });
});
