import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeBinaries } from '../helpers/node-binaries.js';
import { spawnHost, writeConfig, type HostUnderTest } from '../helpers/spawn-host.js';

describe.each(nodeBinaries())('one namespaced surface ($label)', ({ path: node }) => {
  let host: HostUnderTest;
  beforeAll(async () => {
    const configPath = writeConfig({
      plugins: {
        hello: { config: { greeting: 'Hi' } },
        formal: { plugin: 'hello', config: { greeting: 'Good evening' } },
      },
    });
    host = await spawnHost({ configPath, node });
  });
  afterAll(() => host?.close());

  it('lists every instance\'s tools under its namespace, in a stable order', async () => {
    const { tools } = await host.client.listTools();
    expect(tools.map((t) => t.name)).toEqual(['formal__greet', 'hello__greet', 'host__call_tool', 'host__search_tools', 'host__status']);
    for (const tool of tools) expect(tool.name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
  });

  it('routes a call to the instance that owns the tool', async () => {
    const a = await host.client.callTool({ name: 'hello__greet', arguments: { name: 'Ada' } });
    const b = await host.client.callTool({ name: 'formal__greet', arguments: { name: 'Ada' } });
    expect(a.content).toEqual([{ type: 'text', text: 'Hi, Ada!' }]);
    expect(b.structuredContent).toEqual({ greeting: 'Good evening, Ada!' });
    expect(host.badStdout).toEqual([]);
  });
});
