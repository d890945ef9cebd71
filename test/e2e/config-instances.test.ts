import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostStatus, pluginToolNames } from '../helpers/host-status.js';
import { nodeBinaries } from '../helpers/node-binaries.js';
import { spawnHost, writeConfig, type HostUnderTest } from '../helpers/spawn-host.js';

const text = (result: Record<string, unknown>) => (result.content as { text: string }[])[0]?.text;

describe.each(nodeBinaries())('instances: two of one plugin, unprefixed names, collisions ($label)', ({ path: node }) => {
  let host: HostUnderTest;
  beforeAll(async () => {
    const configPath = writeConfig({
      plugins: {
        hello: { config: { greeting: 'Hi' } },
        plain: { plugin: 'hello', namespace: '', config: { greeting: 'Yo' } },
        // Second unprefixed instance of the same plugin: every name clashes with `plain`.
        clash: { plugin: 'hello', namespace: '', config: { greeting: 'Clash' } },
      },
    });
    host = await spawnHost({ configPath, node });
    await host.client.listTools();
  });
  afterAll(() => host?.close());

  it('exposes both instances: one prefixed, one unprefixed', async () => {
    const { tools } = await host.client.listTools();
    expect(pluginToolNames(tools)).toEqual(['greet', 'hello__greet']);
    const { prompts } = await host.client.listPrompts();
    expect(prompts.map((p) => p.name).filter((n) => !n.startsWith('host__'))).toEqual(['hello__welcome', 'welcome']);
  });

  it('routes each call to its own instance, with its own config', async () => {
    expect(text(await host.client.callTool({ name: 'hello__greet', arguments: { name: 'Ada' } }))).toBe('Hi, Ada!');
    expect(text(await host.client.callTool({ name: 'greet', arguments: { name: 'Ada' } }))).toBe('Yo, Ada!');
  });

  it('keeps resources of the two instances apart', async () => {
    const { resources } = await host.client.listResources();
    const uris = resources.map((r) => r.uri);
    expect(uris).toContain('hello://greeting');
    expect(uris).toContain('hello://hello/greeting');
    const unprefixed = await host.client.readResource({ uri: 'hello://greeting' });
    const prefixed = await host.client.readResource({ uri: 'hello://hello/greeting' });
    expect((unprefixed.contents[0] as { text: string }).text).toBe('Yo');
    expect((prefixed.contents[0] as { text: string }).text).toBe('Hi');
  });

  it('refuses the second unprefixed instance with NAME_COLLISION and keeps the first serving', async () => {
    const status = await hostStatus(host.client);
    expect(status.byId('plain').state).toBe('serving');
    const clash = status.byId('clash');
    expect(clash.state).toBe('failed');
    expect(clash.error?.code).toBe('NAME_COLLISION');
    expect(clash.error?.message).toContain('"plain"');
    expect(clash.tools).toBe(0);
    expect(text(await host.client.callTool({ name: 'greet', arguments: { name: 'Ada' } }))).toBe('Yo, Ada!');
    expect(host.badStdout).toEqual([]);
  });
});
