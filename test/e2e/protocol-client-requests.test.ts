import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ListRootsRequestSchema,
  LoggingMessageNotificationSchema,
  type CreateMessageRequest,
  type ElicitRequest,
  type LoggingMessageNotification,
  type Progress,
} from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeBinaries } from '../helpers/node-binaries.js';
import { jsonOf, protoConfig, recordNotifications, textOf, until } from '../helpers/proto-fixture.js';
import { spawnHost, type HostUnderTest } from '../helpers/spawn-host.js';

const ROOTS = [{ uri: 'file:///tmp/proto-root', name: 'proto root' }];

describe.each(nodeBinaries())('client requests and notifications pass through ($label)', ({ path: node }) => {
  let host: HostUnderTest;
  const elicitations: ElicitRequest['params'][] = [];
  const samplings: CreateMessageRequest['params'][] = [];
  let roots = ROOTS;
  let logs: ReturnType<typeof recordNotifications<LoggingMessageNotification>>;

  beforeAll(async () => {
    host = await spawnHost({
      configPath: protoConfig(['proto', 'diner']),
      node,
      capabilities: { elicitation: {}, sampling: {}, roots: { listChanged: true } },
      setup: (client: Client) => {
        client.setRequestHandler(ElicitRequestSchema, (request) => {
          elicitations.push(request.params);
          return { action: 'accept', content: { dish: 'stew' } };
        });
        client.setRequestHandler(CreateMessageRequestSchema, (request) => {
          samplings.push(request.params);
          return { model: 'test-model', role: 'assistant', content: { type: 'text', text: 'pie' }, stopReason: 'endTurn' };
        });
        client.setRequestHandler(ListRootsRequestSchema, () => ({ roots }));
      },
    });
    logs = recordNotifications<LoggingMessageNotification>(host.client, LoggingMessageNotificationSchema);
  });
  afterAll(() => host?.close());

  const call = (name: string, args: Record<string, unknown> = {}) => host.client.callTool({ name: `proto__${name}`, arguments: args });

  it('passes progress notifications through, in order', async () => {
    const seen: Progress[] = [];
    let sawAll!: () => void;
    const allSeen = new Promise<void>((resolve) => (sawAll = resolve));
    // `hold` keeps the result back until every step reached onprogress (see the fixture: typescript-sdk#2580).
    const pending = host.client.callTool({ name: 'proto__progress', arguments: { steps: 4, hold: true } }, undefined, {
      onprogress: (p) => {
        seen.push(p);
        if (seen.length === 4) sawAll();
      },
    });
    await allSeen;
    expect(textOf(await call('release_progress'))).toBe('released');
    expect(textOf(await pending)).toBe('done 4');
    expect(seen).toEqual([1, 2, 3, 4].map((i) => ({ progress: i, total: 4, message: `step ${i}` })));
  });

  it('sends no progress when the client asked for none', async () => {
    expect(textOf(await call('progress', { steps: 2 }))).toBe('done 2');
    expect(host.badStdout).toEqual([]);
  });

  it('fires the plugin\'s abort signal when the client cancels, and keeps serving', async () => {
    const controller = new AbortController();
    // The handler reports progress once it waits on its signal: that is when the client aborts.
    const pending = host.client.callTool({ name: 'proto__wait_abort', arguments: {} }, undefined, {
      signal: controller.signal,
      onprogress: () => controller.abort('user pressed stop'),
    });
    await expect(pending).rejects.toThrow();
    const seen = await until(
      async () => jsonOf(await call('last_abort')),
      (state) => state?.waiting !== true,
    );
    expect(seen).toEqual({ aborted: true, signalAborted: true, reason: 'user pressed stop' });
    expect(textOf(await call('echo', { text: 'next' }))).toBe('next');
  });

  it('forwards elicitation to the client and returns its answer to the plugin', async () => {
    const result = await call('ask');
    expect(result.isError).toBeFalsy();
    expect(jsonOf(result)).toEqual({ action: 'accept', content: { dish: 'stew' } });
    expect(elicitations).toHaveLength(1);
    expect(elicitations[0]).toMatchObject({
      message: 'Which dish?',
      requestedSchema: { type: 'object', properties: { dish: { type: 'string' } }, required: ['dish'] },
    });
  });

  it('forwards sampling to the client and returns its answer to the plugin', async () => {
    const result = await call('sample');
    expect(result.isError).toBeFalsy();
    expect(jsonOf(result)).toEqual({ model: 'test-model', role: 'assistant', content: { type: 'text', text: 'pie' }, stopReason: 'endTurn' });
    expect(samplings).toEqual([{ messages: [{ role: 'user', content: { type: 'text', text: 'Name a dish' } }], maxTokens: 20 }]);
  });

  it('passes logging notifications at or above the client\'s level, tagged with the instance', async () => {
    await host.client.setLoggingLevel('info');
    const before = logs.items.length;
    expect(textOf(await call('log'))).toBe('logged');
    expect(textOf(await host.client.callTool({ name: 'diner__log', arguments: {} }))).toBe('logged');
    expect(logs.items.slice(before)).toEqual([
      { level: 'info', logger: 'proto', data: { note: 'info-line' } },
      { level: 'info', logger: 'diner', data: { note: 'info-line' } },
    ]);
  });

  it('shows the client\'s capabilities and roots through ctx.client', async () => {
    const info = jsonOf(await call('client_info'));
    expect(info.capabilities).toMatchObject({ elicitation: {}, sampling: {}, roots: { listChanged: true } });
    expect(info.roots).toEqual(ROOTS);
    expect(info.rootsChanged).toBe(0);
  });

  it('tells onRootsChanged listeners when the client\'s roots change', async () => {
    roots = [...ROOTS, { uri: 'file:///tmp/second-root', name: 'second' }];
    await host.client.sendRootsListChanged();
    const info = await until(
      async () => jsonOf(await call('client_info')),
      (value) => value.rootsChanged > 0,
    );
    expect(info.rootsChanged).toBe(1);
    expect(info.roots).toEqual(roots);
    // Every instance's listener fires.
    expect(jsonOf(await host.client.callTool({ name: 'diner__client_info', arguments: {} })).rootsChanged).toBe(1);
  });
});

describe.each(nodeBinaries())('a client without elicitation, sampling or roots ($label)', ({ path: node }) => {
  let host: HostUnderTest;
  beforeAll(async () => {
    host = await spawnHost({ configPath: protoConfig(['proto']), node });
  });
  afterAll(() => host?.close());

  it('gets a clear isError result when a plugin asks to elicit', async () => {
    const result = await host.client.callTool({ name: 'proto__ask', arguments: {} });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/^Tool proto__ask failed: .*elicitation/);
  });

  it('gets a clear isError result when a plugin asks to sample', async () => {
    const result = await host.client.callTool({ name: 'proto__sample', arguments: {} });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/^Tool proto__sample failed: .*sampling/);
  });

  it('shows no capabilities and no roots through ctx.client', async () => {
    const info = jsonOf(await host.client.callTool({ name: 'proto__client_info', arguments: {} }));
    expect(info).toEqual({ capabilities: {}, roots: [], rootsChanged: 0 });
    expect(host.badStdout).toEqual([]);
  });
});
