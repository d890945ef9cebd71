import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ListRootsRequestSchema,
  LoggingMessageNotificationSchema,
  ResourceListChangedNotificationSchema,
  ResourceUpdatedNotificationSchema,
  ToolListChangedNotificationSchema,
  type CreateMessageRequest,
  type ElicitRequest,
  type LoggingMessageNotification,
  type Progress,
} from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeBinaries } from '../../helpers/node-binaries.js';
import { jsonOf, recordNotifications, textOf, until } from '../../helpers/proto-fixture.js';
import { spawnHost, writeConfig, type HostUnderTest } from '../../helpers/spawn-host.js';
import { nodeServer } from './harness.js';

const MENU = 'file://kitchen//kitchen/menu.txt';

describe.each(nodeBinaries())('mcp-server passes an external stdio server through ($label)', ({ path: node }) => {
  let host: HostUnderTest;
  const samplings: CreateMessageRequest['params'][] = [];
  const elicitations: ElicitRequest['params'][] = [];
  let logs: ReturnType<typeof recordNotifications<LoggingMessageNotification>>;
  let updates: ReturnType<typeof recordNotifications>;
  let listChanges: ReturnType<typeof recordNotifications>;

  beforeAll(async () => {
    // catalogWaitMs: the first tools/list already shows the server's tools.
    const configPath = writeConfig({ watch: false, plugins: { kitchen: nodeServer('kitchen-stdio.mjs', { catalogWaitMs: 20_000 }, node) } });
    host = await spawnHost({
      configPath,
      node,
      capabilities: { sampling: {}, elicitation: {} },
      setup: (client: Client) => {
        client.setRequestHandler(CreateMessageRequestSchema, (request) => {
          samplings.push(request.params);
          return { model: 'test-model', role: 'assistant', content: { type: 'text', text: 'pie' } };
        });
        client.setRequestHandler(ElicitRequestSchema, (request) => {
          elicitations.push(request.params);
          return { action: 'accept', content: { dish: 'stew' } };
        });
      },
    });
    logs = recordNotifications<LoggingMessageNotification>(host.client, LoggingMessageNotificationSchema);
    updates = recordNotifications(host.client, ResourceUpdatedNotificationSchema);
    listChanges = recordNotifications(host.client, ToolListChangedNotificationSchema);
  });
  afterAll(() => host?.close());

  const call = (name: string, args: Record<string, unknown> = {}) => host.client.callTool({ name: `kitchen__${name}`, arguments: args });

  it('lists the server\'s tools in the first list, namespaced, with title, annotations and outputSchema; dotted names made client-safe', async () => {
    const { tools } = await host.client.listTools();
    const weather = tools.find((t) => t.name === 'kitchen__weather');
    expect(weather).toMatchObject({
      title: 'Kitchen weather',
      description: 'Structured output and resource links.',
      inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      outputSchema: { type: 'object', required: ['city', 'celsius'] },
      annotations: { readOnlyHint: true, openWorldHint: false },
    });
    expect(tools.map((t) => t.name)).toContain('kitchen__shout_loud');
    expect(textOf(await call('shout_loud', { text: 'hi' }))).toBe('HI');
  });

  it('passes structuredContent through and rewrites resource links the client can read back (listed or not)', async () => {
    const result = await call('weather', { city: 'Oslo' });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual({ city: 'Oslo', celsius: 21 });
    const links = (result.content as { type: string; uri?: string }[]).filter((c) => c.type === 'resource_link').map((c) => c.uri);
    expect(links).toEqual([MENU, 'memo://kitchen/notes/today']);
    expect((await host.client.readResource({ uri: links[0]! })).contents).toEqual([{ uri: MENU, mimeType: 'text/plain', text: 'stew, soup, salad' }]);
    expect((await host.client.readResource({ uri: links[1]! })).contents).toEqual([{ uri: 'memo://kitchen/notes/today', text: 'buy onions' }]);
  });

  it('lists resources and templates under the namespace and reads them back in the server\'s own terms', async () => {
    const { resources } = await host.client.listResources();
    expect(resources.map((r) => r.uri).sort()).toEqual([MENU, 'kitchen://kitchen/specials']);
    expect(resources.find((r) => r.uri === MENU)).toMatchObject({ name: 'menu', title: 'The menu', mimeType: 'text/plain' });
    const { resourceTemplates } = await host.client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toContain('file://kitchen//kitchen/recipes/{dish}');
    const recipe = await host.client.readResource({ uri: 'file://kitchen//kitchen/recipes/stew' });
    expect(recipe.contents).toEqual([{ uri: 'file://kitchen//kitchen/recipes/stew', mimeType: 'text/plain', text: 'recipe for stew' }]);
    expect((await host.client.readResource({ uri: 'kitchen://kitchen/specials' })).contents[0]).toMatchObject({ text: 'stew' });
  });

  it('passes prompts and completions (prompt arguments, template variables) through', async () => {
    const { prompts } = await host.client.listPrompts();
    expect(prompts).toEqual([{ name: 'kitchen__order_meal', title: 'Order a meal', description: 'Orders a dish.', arguments: [{ name: 'dish', required: true }] }]);
    const prompt = await host.client.getPrompt({ name: 'kitchen__order_meal', arguments: { dish: 'soup' } });
    expect(prompt.messages).toEqual([{ role: 'user', content: { type: 'text', text: 'I would like the soup.' } }]);
    const byPrompt = await host.client.complete({ ref: { type: 'ref/prompt', name: 'kitchen__order_meal' }, argument: { name: 'dish', value: 's' } });
    expect(byPrompt.completion.values).toEqual(['salad', 'soup', 'stew']);
    const byTemplate = await host.client.complete({ ref: { type: 'ref/resource', uri: 'file://kitchen//kitchen/recipes/{dish}' }, argument: { name: 'dish', value: 'st' } });
    expect(byTemplate.completion.values).toEqual(['stew']);
  });

  it('subscribes at the server, passes its resources/updated on with the exposed URI, and unsubscribes', async () => {
    await host.client.subscribeResource({ uri: MENU });
    expect(jsonOf(await call('subscriptions'))).toEqual(['subscribe file:///kitchen/menu.txt']);
    const before = updates.items.length;
    expect(textOf(await call('touch', { uri: 'file:///kitchen/menu.txt' }))).toBe('touched file:///kitchen/menu.txt');
    expect((await updates.next(before + 1))[before]).toEqual({ uri: MENU });
    await host.client.unsubscribeResource({ uri: MENU });
    expect(jsonOf(await call('subscriptions'))).toEqual(['subscribe file:///kitchen/menu.txt', 'unsubscribe file:///kitchen/menu.txt']);
  });

  it('passes the server\'s progress notifications through in order', async () => {
    const seen: Progress[] = [];
    let sawAll!: () => void;
    const allSeen = new Promise<void>((resolve) => (sawAll = resolve));
    const pending = host.client.callTool({ name: 'kitchen__progress', arguments: { steps: 3 } }, undefined, {
      onprogress: (p) => {
        seen.push(p);
        if (seen.length === 3) sawAll();
      },
    });
    await allSeen;
    expect(textOf(await call('release'))).toBe('released');
    expect(textOf(await pending)).toBe('done 3');
    expect(seen).toEqual([1, 2, 3].map((i) => ({ progress: i, total: 3, message: `step ${i}` })));
  });

  it('cancels the request at the server when the client cancels (with its reason), and keeps serving', async () => {
    const controller = new AbortController();
    const pending = host.client.callTool({ name: 'kitchen__wait_cancel', arguments: {} }, undefined, {
      signal: controller.signal,
      onprogress: () => controller.abort('user pressed stop'),
    });
    await expect(pending).rejects.toThrow();
    const cancelled = await until(async () => jsonOf<string[]>(await call('cancelled')), (list) => list.length > 0);
    expect(cancelled).toEqual(['user pressed stop']);
    expect(textOf(await call('shout_loud', { text: 'still here' }))).toBe('STILL HERE');
  });

  it('passes the server\'s log messages during a call to the client, tagged with the instance', async () => {
    await host.client.setLoggingLevel('info');
    const before = logs.items.length;
    expect(textOf(await call('log', { message: 'oven hot' }))).toBe('logged');
    const seen = await logs.next(before + 1);
    expect(seen[before]).toEqual({ level: 'warning', logger: 'kitchen', data: { message: 'oven hot' } });
  });

  it('forwards the server\'s sampling request to the client and its answer back', async () => {
    expect(jsonOf(await call('client_caps'))).toMatchObject({ sampling: {}, elicitation: {} });
    const result = await call('ask_model', { question: 'Dessert?' });
    expect(textOf(result)).toBe('model said: pie (test-model)');
    expect(samplings).toEqual([{ messages: [{ role: 'user', content: { type: 'text', text: 'Dessert?' } }], maxTokens: 10 }]);
  });

  it('forwards the server\'s elicitation request to the client and its answer back', async () => {
    const result = await call('ask_user');
    expect(jsonOf(result)).toEqual({ action: 'accept', content: { dish: 'stew' } });
    expect(elicitations).toHaveLength(1);
    expect(elicitations[0]).toMatchObject({ message: 'Which dish?', requestedSchema: { type: 'object', properties: { dish: { type: 'string' } } } });
  });

  it('turns the server\'s own tools/list_changed into the host\'s, adding and removing exactly that tool', async () => {
    const before = listChanges.items.length;
    expect(textOf(await call('add_tool', { name: 'dessert' }))).toBe('added dessert');
    await listChanges.next(before + 1);
    const names = (await host.client.listTools()).tools.map((t) => t.name);
    expect(names).toContain('kitchen__dessert');
    expect(textOf(await call('dessert'))).toBe('runtime tool dessert');

    const count = listChanges.items.length;
    expect(textOf(await call('remove_tool', { name: 'dessert' }))).toBe('removed dessert');
    await listChanges.next(count + 1);
    const after = (await host.client.listTools()).tools.map((t) => t.name);
    expect(after).not.toContain('kitchen__dessert');
    expect(after.length).toBe(names.length - 1);
    expect(host.badStdout).toEqual([]);
  });

  it('turns the server\'s resources/list_changed into the host\'s, with the new resource readable', async () => {
    const changes = recordNotifications(host.client, ResourceListChangedNotificationSchema);
    expect(textOf(await call('add_resource', { name: 'pantry' }))).toBe('added resource pantry');
    await changes.next(1);
    const uris = (await host.client.listResources()).resources.map((r) => r.uri);
    expect(uris).toContain('kitchen://kitchen/extra/pantry');
    expect((await host.client.readResource({ uri: 'kitchen://kitchen/extra/pantry' })).contents[0]).toMatchObject({ text: 'extra pantry' });
  });
});

describe('mcp-server with forwardRoots', () => {
  let host: HostUnderTest;
  afterAll(() => host?.close());

  it('answers the server\'s roots/list with the client\'s roots only when forwardRoots is on', async () => {
    const roots = [{ uri: 'file:///tmp/project', name: 'project' }];
    host = await spawnHost({
      configPath: writeConfig({
        watch: false,
        plugins: { on: nodeServer('kitchen-stdio.mjs', { catalogWaitMs: 20_000, forwardRoots: true }), off: nodeServer('kitchen-stdio.mjs', { catalogWaitMs: 20_000 }) },
      }),
      capabilities: { roots: { listChanged: true } },
      setup: (client: Client) => client.setRequestHandler(ListRootsRequestSchema, () => ({ roots })),
    });
    expect(jsonOf(await host.client.callTool({ name: 'on__roots', arguments: {} }))).toEqual({ roots });
    const off = await host.client.callTool({ name: 'off__roots', arguments: {} });
    expect(off.isError).toBe(true);
    expect(textOf(off)).toMatch(/mcp-host did not offer roots to MCP server "off": forwardRoots is off/);
  });
});

describe('mcp-server with a client that has neither sampling nor elicitation', () => {
  let host: HostUnderTest;
  beforeAll(async () => {
    host = await spawnHost({ configPath: writeConfig({ watch: false, plugins: { kitchen: nodeServer('kitchen-stdio.mjs', { catalogWaitMs: 20_000 }) } }) });
  });
  afterAll(() => host?.close());

  it('does not declare them to the server, whose requests then fail with a clear isError naming the instance', async () => {
    expect(jsonOf(await host.client.callTool({ name: 'kitchen__client_caps', arguments: {} }))).toEqual({});
    const result = await host.client.callTool({ name: 'kitchen__ask_model', arguments: { question: 'Dessert?' } });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/^MCP server "kitchen": tool "ask_model" failed: .*mcp-host did not offer sampling to MCP server "kitchen": the client connected to mcp-host does not support it$/);
  });
});

describe('mcp-server with requestTimeoutMs', () => {
  let host: HostUnderTest;
  beforeAll(async () => {
    const kitchen = nodeServer('kitchen-stdio.mjs', { catalogWaitMs: 20_000, requestTimeoutMs: 400 });
    // The host's own time limit (timeoutMs), shorter than the plugin's requestTimeoutMs.
    const limited = { ...nodeServer('kitchen-stdio.mjs', { catalogWaitMs: 20_000 }), timeoutMs: 300 };
    host = await spawnHost({ configPath: writeConfig({ watch: false, plugins: { kitchen, limited } }) });
  });
  afterAll(() => host?.close());
  const call = (name: string, args: Record<string, unknown> = {}) => host.client.callTool({ name: `kitchen__${name}`, arguments: args });

  it('gives up a call the server does not answer in time, cancels it at the server, and keeps serving', async () => {
    const result = await call('wait_cancel');
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe('MCP server "kitchen": tool "wait_cancel" got no answer within 400 ms');
    const cancelled = await until(async () => jsonOf<string[]>(await call('cancelled')), (list) => list.length > 0);
    expect(cancelled).toEqual(['timed out after 400 ms (requestTimeoutMs)']);
    expect(textOf(await call('shout_loud', { text: 'still here' }))).toBe('STILL HERE');
  });

  it('cancels the call at the server when the host\'s timeoutMs cuts it off', async () => {
    const result = await host.client.callTool({ name: 'limited__wait_cancel', arguments: {} });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/^Tool limited__wait_cancel timed out: no result within 300 ms/);
    const seen = async () => jsonOf<string[]>(await host.client.callTool({ name: 'limited__cancelled', arguments: {} }));
    expect(await until(seen, (list) => list.length > 0)).toEqual(['the call took longer than its time limit (timeoutMs 300)']);
  });
});
