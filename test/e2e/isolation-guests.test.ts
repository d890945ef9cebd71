import { ElicitRequestSchema, LoggingMessageNotificationSchema, ListRootsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePluginsDir, hostStatus } from '../helpers/host-status.js';
import { firstText, probeWhere } from '../helpers/iso-probe.js';
import { processAlive } from '../helpers/process-alive.js';
import { pollUntil } from '../helpers/reload-wait.js';
import { spawnHost, writeConfig, type HostUnderTest } from '../helpers/spawn-host.js';

/**
 * A plugin moved into a worker thread or a child process keeps the whole ctx API, and its faults
 * (busy loop, crash, memory hog) end only its own guest: the call in flight fails clearly, the guest
 * restarts, and the other instances never notice.
 */
describe.each(['worker', 'process'] as const)('isolation: %s', (mode) => {
  let host: HostUnderTest;
  const logs: unknown[] = [];

  beforeAll(async () => {
    const configPath = writeConfig({
      pluginDirs: [fixturePluginsDir],
      plugins: {
        probe: { plugin: 'iso-probe', config: { label: 'p' }, isolation: { mode, unresponsiveMs: 1500, maxCrashes: 50 } },
        hog: { plugin: 'iso-probe', isolation: { mode, memoryLimitMb: 64, unresponsiveMs: 30_000, maxCrashes: 50 } },
        inproc: { plugin: 'iso-probe', isolation: 'in-process' },
        hello: {},
      },
    });
    host = await spawnHost({
      configPath,
      capabilities: { elicitation: {}, roots: { listChanged: true } },
      setup: (client) => {
        client.setRequestHandler(ElicitRequestSchema, async () => ({ action: 'accept', content: { name: 'Ada' } }));
        client.setRequestHandler(ListRootsRequestSchema, async () => ({ roots: [{ uri: 'file:///tmp/iso-root', name: 'iso' }] }));
        client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void logs.push(n.params));
      },
    });
    await host.client.listTools();
  });
  afterAll(() => host?.close());

  const call = (name: string, args: Record<string, unknown> = {}) => host.client.callTool({ name, arguments: args }, undefined, { timeout: 30_000 });

  it(`runs the plugin in a ${mode}, not in the daemon's thread; its stdout goes to the log, never to the protocol`, async () => {
    const where = await probeWhere(host.client, 'probe');
    const inproc = await probeWhere(host.client, 'inproc');
    expect(inproc).toMatchObject({ pid: host.pid, threadId: 0 });
    if (mode === 'worker') expect(where).toMatchObject({ pid: host.pid, threadId: expect.any(Number) });
    if (mode === 'worker') expect(where.threadId).toBeGreaterThan(0);
    else expect(where.pid).not.toBe(host.pid);
    expect(where.label).toBe('p');
    expect(host.stderr()).toContain('iso-probe writes to stdout: must not reach the protocol');
    expect(host.badStdout).toEqual([]);
    expect((await hostStatus(host.client)).byId('probe')).toMatchObject({ state: 'serving', isolation: mode, tools: 12 });
  });

  it('serves the same ctx API across the boundary: arguments, resources, templates, completions, prompts', async () => {
    expect(JSON.parse(firstText(await call('probe__echo', { value: { nested: [1, 'two', null] } })))).toEqual({ value: { nested: [1, 'two', null] } });
    const info = await host.client.readResource({ uri: 'probe://probe/info' });
    expect(info.contents[0]).toMatchObject({ uri: 'probe://probe/info', text: expect.stringMatching(/^pid \d+$/) });
    const item = await host.client.readResource({ uri: 'probe://probe/item/42' });
    expect(item.contents[0]).toMatchObject({ uri: 'probe://probe/item/42', text: 'item 42' });
    const completion = await host.client.complete({ ref: { type: 'ref/resource', uri: 'probe://probe/item/{id}' }, argument: { name: 'id', value: 'g' } });
    expect(completion.completion.values).toEqual(['gamma']);
    const prompt = await host.client.getPrompt({ name: 'probe__hi', arguments: { who: 'Bob' } });
    expect(prompt.messages[0].content).toEqual({ type: 'text', text: 'hi Bob' });
  });

  it('passes progress (ahead of the result), client logging, elicitation, roots and capabilities through', async () => {
    const progress: number[] = [];
    const done = await host.client.callTool({ name: 'probe__progress', arguments: {} }, undefined, { onprogress: (p) => void progress.push(p.progress) });
    expect(firstText(done)).toBe('done');
    expect(progress).toEqual([1, 2, 3]);
    await pollUntil('the client log message', async () => logs.length, (n) => n > 0);
    expect(logs).toContainEqual(expect.objectContaining({ level: 'info', logger: 'probe', data: { from: 'iso-probe' } }));
    expect(JSON.parse(firstText(await call('probe__ask')))).toEqual({ action: 'accept', content: { name: 'Ada' } });
    expect(JSON.parse(firstText(await call('probe__roots')))).toEqual([{ uri: 'file:///tmp/iso-root', name: 'iso' }]);
    expect(JSON.parse(firstText(await call('probe__caps')))).toMatchObject({ elicitation: {}, roots: { listChanged: true } });
  });

  it('carries a client cancellation into the guest (the handler sees its signal abort)', async () => {
    const before = (await probeWhere(host.client, 'probe')).aborts;
    const controller = new AbortController();
    const pending = host.client.callTool({ name: 'probe__wait-abort', arguments: {} }, undefined, { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 200));
    controller.abort('test cancels');
    await expect(pending).rejects.toThrow();
    await pollUntil('the guest to see the abort', () => probeWhere(host.client, 'probe'), (w) => w.aborts === before + 1);
  });

  it('answers a result that cannot be cloned across the boundary with isError, and keeps serving', async () => {
    const result = await call('probe__unserializable');
    expect(result.isError).toBe(true);
    expect(firstText(result)).toMatch(/cannot cross the isolation boundary/);
    expect((await probeWhere(host.client, 'probe')).label).toBe('p');
  });

  it('terminates a busy loop: that call fails clearly, other plugins answer meanwhile, the guest restarts', async () => {
    const before = await probeWhere(host.client, 'probe');
    const order: string[] = [];
    const spin = call('probe__spin').then((r) => (order.push('spin'), r));
    const hello = call('hello__greet', { name: 'during spin' }).then((r) => (order.push('hello'), r));
    const inproc = call('inproc__echo', { value: 1 }).then((r) => (order.push('inproc'), r));
    const [spun, greeted] = await Promise.all([spin, hello, inproc]);
    expect(order.indexOf('spin')).toBe(2); // the others did not wait for the stuck guest
    expect(firstText(greeted)).toBe('Hello, during spin!');
    expect(spun.isError).toBe(true);
    expect(firstText(spun)).toMatch(/instance "probe" \(\w+\) .*crashed: unresponsive for \d+ ms/);
    const after = await probeWhere(host.client, 'probe');
    expect(mode === 'worker' ? after.threadId : after.pid).not.toBe(mode === 'worker' ? before.threadId : before.pid);
    expect(after.calls).toBe(1); // a fresh guest
    expect((await hostStatus(host.client)).byId('probe').state).toBe('serving');
  });

  it('fails every call in flight on a crashed guest (and only those), then serves from a new one', async () => {
    const waiting = call('probe__wait-abort');
    const other = call('inproc__echo', { value: 'x' });
    const crash = await call('probe__crash');
    expect(crash.isError).toBe(true);
    expect(firstText(crash)).toMatch(/crashed: .*(iso-probe crashed on purpose|exited with code 1)/);
    const stranded = await waiting;
    expect(stranded.isError).toBe(true);
    expect(firstText(stranded)).toMatch(/crashed/);
    expect((await other).isError).toBeFalsy();
    expect((await probeWhere(host.client, 'probe')).calls).toBe(1);
  });

  it('ends a guest that goes over memoryLimitMb; it restarts', async () => {
    const before = await probeWhere(host.client, 'hog');
    const result = await call('hog__hog');
    expect(result.isError).toBe(true);
    expect(firstText(result)).toMatch(/out of memory/);
    const after = await probeWhere(host.client, 'hog');
    expect(after.heapUsed).toBeLessThan(64 * 1024 * 1024);
    expect(mode === 'worker' ? after.threadId : after.pid).not.toBe(mode === 'worker' ? before.threadId : before.pid);
    expect(await probeWhere(host.client, 'inproc')).toMatchObject({ pid: host.pid });
  });

  if (mode === 'process') {
    it('reaps what a process-isolated plugin spawned when its guest goes', async () => {
      const grandchild = (await call('probe__grandchild')).structuredContent as { pid: number };
      expect(processAlive(grandchild.pid)).toBe(true);
      await call('probe__crash');
      await pollUntil('the grandchild to be reaped', async () => processAlive(grandchild.pid), (alive) => !alive);
    });
  }
});
