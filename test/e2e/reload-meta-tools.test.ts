import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeBinaries } from '../helpers/node-binaries.js';
import { firstText, probeInfo } from '../helpers/reload-probe.js';
import { createReloadSandbox, type ReloadSandbox } from '../helpers/reload-sandbox.js';
import { countNotifications, pollUntil, waitForWatching, type NotificationCounter } from '../helpers/reload-wait.js';
import { spawnHost, type HostUnderTest } from '../helpers/spawn-host.js';

interface Found {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

const SHOUT_SCHEMA = {
  type: 'object',
  properties: { word: { type: 'string', minLength: 1, description: 'What to shout' } },
  required: ['word'],
  additionalProperties: false,
};

/**
 * Clients that keep their first tool list (Claude Desktop) reach tools added later through
 * host__search_tools and host__call_tool; `toolExposure: "meta"` lists only those.
 */
describe.each(nodeBinaries())('meta tools after a reload ($label)', ({ path: node }) => {
  let sandbox: ReloadSandbox;
  let host: HostUnderTest;
  let toolChanges: NotificationCounter<unknown>;
  const search = async (query: string): Promise<Found[]> => {
    const result = await host.client.callTool({ name: 'host__search_tools', arguments: { query } });
    expect(result.isError).toBeFalsy();
    return (result.structuredContent as { tools: Found[] }).tools;
  };
  const callThrough = (name: string, args: Record<string, unknown>) => host.client.callTool({ name: 'host__call_tool', arguments: { name, arguments: args } });
  const alpha = { plugin: 'reload-probe', config: { label: 'a' }, isolation: 'in-process' }; // process-wide probe state

  beforeAll(async () => {
    // reload-late is on disk from the start but not configured.
    sandbox = createReloadSandbox(['reload-probe', 'reload-late']);
    sandbox.writeConfig({ alpha });
    host = await spawnHost({ configPath: sandbox.configPath, node });
    toolChanges = countNotifications(host.client, ToolListChangedNotificationSchema);
    await waitForWatching(host);
  });
  afterAll(() => host?.close());

  it('host__search_tools finds a tool added after the client\'s only tools/list, and host__call_tool calls it with validation', async () => {
    const listed = (await host.client.listTools()).tools.map((t) => t.name);
    expect(listed).toEqual(['alpha__hold', 'alpha__info', 'alpha__release', 'alpha__touch', 'host__call_tool', 'host__search_tools', 'host__status']);
    expect(await search('quokka')).toEqual([]);

    sandbox.writeConfig({ alpha, late: { plugin: 'reload-late' } });
    const found = await pollUntil('host__search_tools to find the new tool', () => search('quokka'), (tools) => tools.length > 0);
    expect(found).toEqual([{ name: 'late__shout', description: 'Returns the word in capitals, quokka style.', inputSchema: SHOUT_SCHEMA }]);
    // The meta tools search every tool except themselves.
    expect((await search('')).map((t) => t.name)).toEqual(['alpha__hold', 'alpha__info', 'alpha__release', 'alpha__touch', 'host__status', 'late__shout']);

    const ok = await callThrough('late__shout', { word: 'hey' });
    expect(ok.isError).toBeFalsy();
    expect(ok.content).toEqual([{ type: 'text', text: 'HEY!' }]);
    for (const bad of [{ word: 5 }, {}, { word: 'x', extra: true }]) {
      const refused = await callThrough('late__shout', bad);
      expect(refused.isError).toBe(true);
      expect(firstText(refused)).toMatch(/^Invalid arguments for tool late__shout: /);
    }
    const unknown = await callThrough('late__whisper', {});
    expect(unknown.isError).toBe(true);
    expect(firstText(unknown)).toContain('Unknown tool: late__whisper');
  });

  it('switching to toolExposure "meta" lists only the host__ tools (with list_changed); every tool stays callable directly and through host__call_tool', async () => {
    const seen = toolChanges.items.length;
    sandbox.writeConfig({ alpha, late: { plugin: 'reload-late' } }, { toolExposure: 'meta' });
    await toolChanges.waitFor(seen + 1, 'tools/list_changed after toolExposure changed');
    expect((await host.client.listTools()).tools.map((t) => t.name)).toEqual(['host__call_tool', 'host__search_tools', 'host__status']);

    expect((await host.client.callTool({ name: 'late__shout', arguments: { word: 'direct' } })).content).toEqual([{ type: 'text', text: 'DIRECT!' }]);
    expect((await callThrough('late__shout', { word: 'meta' })).content).toEqual([{ type: 'text', text: 'META!' }]);
    expect(await probeInfo(host.client, 'alpha')).toMatchObject({ label: 'a' });
    const info = await callThrough('alpha__info', {});
    expect(info.structuredContent).toMatchObject({ instance: 'alpha', label: 'a' });
    expect((await search('quokka')).map((t) => t.name)).toEqual(['late__shout']);
    expect(host.badStdout).toEqual([]);
  });
});

describe.each(nodeBinaries())('toolExposure "meta" from the start ($label)', ({ path: node }) => {
  let host: HostUnderTest;
  beforeAll(async () => {
    const sandbox = createReloadSandbox(['reload-late']);
    sandbox.writeConfig({ late: { plugin: 'reload-late' } }, { toolExposure: 'meta' });
    host = await spawnHost({ configPath: sandbox.configPath, node });
  });
  afterAll(() => host?.close());

  it('the first tools/list has only the host__ tools, and the hidden tool is callable both ways', async () => {
    expect((await host.client.listTools()).tools.map((t) => t.name)).toEqual(['host__call_tool', 'host__search_tools', 'host__status']);
    expect((await host.client.callTool({ name: 'late__shout', arguments: { word: 'a' } })).content).toEqual([{ type: 'text', text: 'A!' }]);
    const through = await host.client.callTool({ name: 'host__call_tool', arguments: { name: 'late__shout', arguments: { word: 'b' } } });
    expect(through.content).toEqual([{ type: 'text', text: 'B!' }]);
  });
});
