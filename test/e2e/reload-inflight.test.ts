import { ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeBinaries } from '../helpers/node-binaries.js';
import { probeInfo, type ProbeInfo } from '../helpers/reload-probe.js';
import { createReloadSandbox, type ReloadSandbox } from '../helpers/reload-sandbox.js';
import { countNotifications, pollUntil, waitForWatching } from '../helpers/reload-wait.js';
import { spawnHost, type HostUnderTest } from '../helpers/spawn-host.js';

/** The swap itself: calls running on the old generation finish there, and the client's subscriptions move to the new one. */
describe.each(nodeBinaries())('hot reload across a swap ($label)', ({ path: node }) => {
  let sandbox: ReloadSandbox;
  let host: HostUnderTest;
  // A generous drain: the held call below must never be cut short by it.
  // reload-probe keeps process-wide state across generations (a held call is released by the next one), so it runs in-process.
  const writeAlpha = (label: string) =>
    sandbox.writeConfig({ alpha: { plugin: 'reload-probe', config: { label }, isolation: 'in-process' } }, { timeouts: { drainMs: 25_000 } });

  beforeAll(async () => {
    sandbox = createReloadSandbox(['reload-probe']);
    writeAlpha('old');
    host = await spawnHost({ configPath: sandbox.configPath, node });
    await host.client.listTools();
    await waitForWatching(host);
  });
  afterAll(() => host?.close());

  it('a call in flight during the swap completes on the old generation, calls after it go to the new one, and no call fails', async () => {
    const before = await probeInfo(host.client, 'alpha');
    // `hold` stays running until `release` (or 1.5 s by default; here it waits for the release so the swap surely happens mid-call).
    const held = host.client.callTool({ name: 'alpha__hold', arguments: { maxMs: 20_000 } });
    await pollUntil('the held call to be running', () => probeInfo(host.client, 'alpha'), (i) => i.holding === 1);

    // Calls keep coming, one after another, through the whole swap.
    const served: ProbeInfo[] = [];
    const failures: unknown[] = [];
    let calling = true;
    const traffic = (async () => {
      while (calling) {
        try {
          served.push(await probeInfo(host.client, 'alpha'));
        } catch (error) {
          failures.push(error);
        }
      }
    })();

    writeAlpha('new');
    const after = await pollUntil('the new config to serve', () => probeInfo(host.client, 'alpha'), (i) => i.label === 'new');
    expect(after.generation).not.toBe(before.generation);
    // The old generation drains: it is not stopped while its call runs.
    expect(after.stopped).toEqual([]);

    const release = await host.client.callTool({ name: 'alpha__release', arguments: {} });
    expect(release.structuredContent).toMatchObject({ label: 'new', generation: after.generation, released: 1 });
    const result = await held;
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual({ instance: 'alpha', label: 'old', generation: before.generation, releasedBy: 'release', stoppedWhileRunning: false });

    calling = false;
    await traffic;
    expect(failures).toEqual([]);
    const labels = served.map((i) => i.label);
    expect(labels).toContain('new');
    // Once a call reached the new generation, no later call went back to the old one.
    expect(labels.slice(labels.indexOf('new')).every((l) => l === 'new')).toBe(true);
    for (const info of served) expect(info.generation).toBe(info.label === 'old' ? before.generation : after.generation);

    // With its call done, the old generation is stopped as a reload.
    const final = await pollUntil('the old generation to stop', () => probeInfo(host.client, 'alpha'), (i) => i.stopped.length > 0);
    expect(final.stopped).toEqual([{ instance: 'alpha', label: 'old', generation: before.generation, reason: 'reload' }]);
    expect(final.generation).toBe(after.generation);
  });

  it('a resource subscription carries over: the new generation\'s subscribe hook runs and its updates reach the client', async () => {
    const updates = countNotifications<{ uri: string }>(host.client, ResourceUpdatedNotificationSchema);
    await host.client.subscribeResource({ uri: 'probe://alpha/state' });
    const before = await probeInfo(host.client, 'alpha');
    expect(before.subscribed).toEqual(['probe://state']);
    await host.client.callTool({ name: 'alpha__touch', arguments: {} });
    await updates.waitFor(1, 'resources/updated from the first generation');

    writeAlpha('resubscribed');
    const after = await pollUntil('the new generation to serve and be subscribed', () => probeInfo(host.client, 'alpha'), (i) =>
      i.label === 'resubscribed' && i.subscribed.length > 0,
    );
    expect(after.generation).not.toBe(before.generation);
    expect(after.subscribed).toEqual(['probe://state']);

    const touched = await host.client.callTool({ name: 'alpha__touch', arguments: {} });
    expect(touched.structuredContent).toMatchObject({ generation: after.generation });
    await updates.waitFor(2, 'resources/updated from the new generation');
    expect(updates.items).toEqual([{ uri: 'probe://alpha/state' }, { uri: 'probe://alpha/state' }]);
    const read = await host.client.readResource({ uri: 'probe://alpha/state' });
    expect(JSON.parse((read.contents[0] as { text: string }).text)).toMatchObject({ label: 'resubscribed', generation: after.generation });
    expect(host.badStdout).toEqual([]);
  });
});
