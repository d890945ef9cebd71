import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePluginsDir } from '../helpers/host-status.js';
import { nodeBinaries } from '../helpers/node-binaries.js';
import { pollUntil, sleep, waitForWatching } from '../helpers/reload-wait.js';
import { spawnHost, writeConfig, type HostUnderTest } from '../helpers/spawn-host.js';
import { callText } from '../helpers/tool-text.js';

/** Aborts the handlers of an instance saw (the fixture records them). */
async function seen(host: HostUnderTest, instance: string): Promise<{ what: string; reason: string }[]> {
  return JSON.parse((await callText(host.client, `${instance}__seen`)).text);
}

// In-process instances, so the handler sees the very abort reason (a TimeoutError); `walled` runs in a worker.
function config(slowpokeMs: number): object {
  const probe = { plugin: 'limits-probe', isolation: 'in-process' };
  return {
    pluginDirs: [fixturePluginsDir],
    plugins: {
      slowpoke: { ...probe, timeoutMs: slowpokeMs },
      ticking: { ...probe, timeoutMs: 1000 },
      patient: { ...probe, timeoutMs: 0 },
      walled: { plugin: 'limits-probe', isolation: 'worker', timeoutMs: 400 },
      hello: { config: { greeting: 'Hi' } },
    },
  };
}

/** timeoutMs per instance: a hung call is cut off with a clear isError and its signal aborted; progress keeps a call alive. */
describe.each(nodeBinaries())('per-call timeout ($label)', ({ path: node }) => {
  let host: HostUnderTest;
  let configPath: string;
  let work: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'mcp-host-timeouts-'));
    configPath = writeConfig(config(400));
    host = await spawnHost({
      configPath,
      node,
      capabilities: { elicitation: {} },
      // The user takes longer to answer than slowpoke's whole time limit.
      setup: (client) => client.setRequestHandler(ElicitRequestSchema, async () => (await sleep(900), { action: 'accept', content: { ok: true } })),
    });
    await host.client.listTools();
  });
  afterAll(() => host?.close());

  it('cuts a hung tool off with an isError naming the tool, the instance and the limit, and aborts its signal', async () => {
    const answer = await callText(host.client, 'slowpoke__slow', { tag: 'first' });
    expect(answer.isError).toBe(true);
    expect(answer.text).toBe(
      'Tool slowpoke__slow timed out: no result within 400 ms (timeoutMs of instance "slowpoke"; each progress notification restarts it). The call was cancelled.',
    );
    // The handler's signal was aborted with a TimeoutError; its late result went nowhere.
    const aborts = await pollUntil('the handler to record its abort', () => seen(host, 'slowpoke'), (list) => list.some((a) => a.what === 'slow:first'));
    expect(aborts.find((a) => a.what === 'slow:first')?.reason).toBe('TimeoutError');
    expect(host.badStdout).toEqual([]);
  });

  it('cuts off a call of a worker-isolated plugin the same way, and the abort reaches its handler', async () => {
    const answer = await callText(host.client, 'walled__slow', { tag: 'worker' });
    expect(answer.isError).toBe(true);
    expect(answer.text).toContain('Tool walled__slow timed out: no result within 400 ms (timeoutMs of instance "walled"');
    await pollUntil('the worker handler to record its abort', () => seen(host, 'walled'), (list) => list.some((a) => a.what === 'slow:worker'));
    expect(await callText(host.client, 'walled__free')).toEqual({ isError: false, text: 'free' });
  });

  it('keeps serving other calls while a call hangs and after it timed out', async () => {
    const release = join(work, 'release-patient');
    // patient has no time limit (timeoutMs 0): this call runs until the test releases it.
    const held = callText(host.client, 'patient__hold', { until: release });
    let heldDone = false;
    void held.finally(() => (heldDone = true));
    expect(await callText(host.client, 'hello__greet', { name: 'Ada' })).toEqual({ isError: false, text: 'Hi, Ada!' });
    expect((await callText(host.client, 'slowpoke__slow', { tag: 'second' })).text).toContain('timed out');
    expect(await callText(host.client, 'hello__greet', { name: 'Bob' })).toEqual({ isError: false, text: 'Hi, Bob!' });
    expect(heldDone).toBe(false);
    writeFileSync(release, '');
    expect(await held).toEqual({ isError: false, text: 'released' });
    expect(await seen(host, 'patient')).toEqual([]);
  });

  it('does not cut off a call that sends progress more often than its limit, for longer than the limit', async () => {
    const progress: number[] = [];
    const answer = await callText(host.client, 'ticking__ticker', { ticks: 16, everyMs: 100 }, { onprogress: (p) => void progress.push(p.progress) });
    expect(answer).toEqual({ isError: false, text: '16 ticks' });
    expect({ progress, bad: host.badStdout }).toEqual({ progress: Array.from({ length: 16 }, (_, i) => i + 1), bad: [] });
    // Without a progress token the notifications go nowhere, but the handler still proves it is alive.
    expect(await callText(host.client, 'ticking__ticker', { ticks: 16, everyMs: 100 })).toEqual({ isError: false, text: '16 ticks' });
  });

  it('cuts off the same call when it stays silent', async () => {
    const answer = await callText(host.client, 'ticking__ticker', { ticks: 16, everyMs: 100, silent: true });
    expect(answer.isError).toBe(true);
    expect(answer.text).toContain('no result within 1000 ms (timeoutMs of instance "ticking"');
    const aborts = await pollUntil('the ticker to record its abort', () => seen(host, 'ticking'), (list) => list.some((a) => a.what.startsWith('ticker:')));
    expect(aborts.filter((a) => a.what.startsWith('ticker:')).map((a) => a.reason)).toEqual(['TimeoutError']);
  });

  it('does not count the time the client takes to answer an elicitation', async () => {
    expect(await callText(host.client, 'slowpoke__ask')).toEqual({ isError: false, text: 'answer: accept' });
  });

  it('passes a client cancellation on to the handler through the same signal', async () => {
    const controller = new AbortController();
    const call = callText(host.client, 'ticking__slow', { tag: 'cancel' }, { signal: controller.signal });
    await sleep(100);
    controller.abort('changed my mind');
    await expect(call).rejects.toThrow();
    const aborts = await pollUntil('the handler to record the cancellation', () => seen(host, 'ticking'), (list) => list.some((a) => a.what === 'slow:cancel'));
    // The client's own reason arrives, not a timeout.
    expect(aborts.find((a) => a.what === 'slow:cancel')?.reason).toBe('changed my mind');
  });

  it('limits resources/read too, with an error naming the limit', async () => {
    await expect(host.client.readResource({ uri: 'probe://slowpoke/stuck' })).rejects.toThrow(
      /Reading probe:\/\/slowpoke\/stuck failed: no result within 400 ms \(timeoutMs of instance "slowpoke"/,
    );
    const aborts = await pollUntil('the read to record its abort', () => seen(host, 'slowpoke'), (list) => list.some((a) => a.what === 'read'));
    expect(aborts.find((a) => a.what === 'read')?.reason).toBe('TimeoutError');
  });

  it('applies a changed timeoutMs after plugins.json is edited', async () => {
    await waitForWatching(host);
    writeFileSync(configPath, JSON.stringify(config(700)));
    const answer = await pollUntil('slowpoke to run with timeoutMs 700', () => callText(host.client, 'slowpoke__slow', { tag: 'reloaded' }), (a) => a.text.includes('700 ms'));
    expect(answer.isError).toBe(true);
    expect(answer.text).toContain('timeoutMs of instance "slowpoke"');
  });
});
