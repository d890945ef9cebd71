import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostStatus } from '../helpers/host-status.js';
import { probeWhere } from '../helpers/iso-probe.js';
import { processAlive } from '../helpers/process-alive.js';
import { createReloadSandbox, type ReloadSandbox } from '../helpers/reload-sandbox.js';
import { pollUntil, waitForWatching } from '../helpers/reload-wait.js';
import { spawnHost, type HostUnderTest } from '../helpers/spawn-host.js';

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

/** Reloading an isolated plugin ends its old guest once drained, so its memory (and anything it spawned) is really gone. */
describe('isolation: hot reload of isolated plugins', () => {
  let sandbox: ReloadSandbox;
  let host: HostUnderTest;
  const BALLAST_MB = 30;
  const write = (label: string) =>
    sandbox.writeConfig({
      heavy: { plugin: 'iso-probe', config: { label, ballastMb: BALLAST_MB }, isolation: 'worker' },
      proc: { plugin: 'iso-probe', config: { label }, isolation: 'process' },
    });

  beforeAll(async () => {
    sandbox = createReloadSandbox(['iso-probe']);
    write('v0');
    host = await spawnHost({ configPath: sandbox.configPath });
    await host.client.listTools();
    await waitForWatching(host);
  });
  afterAll(() => host?.close());

  // Before the code reloads below: each of them reloads 'proc' too, and a probe during such a reload may be answered
  // by the old process just before it ends.
  it('a config reload of a process-isolated plugin ends the old process and what it spawned', async () => {
    const before = await probeWhere(host.client, 'proc');
    const grandchild = (await host.client.callTool({ name: 'proc__grandchild', arguments: {} })).structuredContent as { pid: number };
    expect(processAlive(before.pid)).toBe(true);
    expect(processAlive(grandchild.pid)).toBe(true);
    write('v1');
    const after = await pollUntil('the new config to serve', () => probeWhere(host.client, 'proc'), (w) => w.label === 'v1');
    expect(after.pid).not.toBe(before.pid);
    await pollUntil('the old process and its child to be gone', async () => processAlive(before.pid) || processAlive(grandchild.pid), (alive) => !alive);
    expect((await hostStatus(host.client)).byId('proc')).toMatchObject({ state: 'serving', isolation: 'process' });
    // The same edit reloaded 'heavy': the next test starts from its new worker.
    await pollUntil('heavy to serve the new config', () => probeWhere(host.client, 'heavy'), (w) => w.label === 'v1');
  });

  it('each code reload runs in a fresh worker and the old one is terminated: host memory stays flat', async () => {
    const first = await probeWhere(host.client, 'heavy');
    expect(first.ballast).toBe(BALLAST_MB * 16);
    const baseline = rssMb(host.pid);
    let last = first;
    const RELOADS = 6;
    for (let i = 1; i <= RELOADS; i++) {
      sandbox.editPlugin('iso-probe', 'index.js', (text) => `${text}\n// edit ${i}\n`);
      last = await pollUntil(`reload ${i} to serve`, () => probeWhere(host.client, 'heavy'), (w) => w.threadId !== last.threadId);
      expect(last.calls).toBe(1);
    }
    // Old workers are terminated after their drain; give the last one time to go.
    const settled = await pollUntil('host RSS to settle', async () => rssMb(host.pid), (mb) => mb - baseline < 2 * BALLAST_MB, 15_000);
    // In-process, every code version would keep its module (and ballast): RELOADS × 30 MB more.
    expect(settled - baseline).toBeLessThan(2 * BALLAST_MB);
  });

  it('when the host exits, no guest process or grandchild is left behind', async () => {
    const guest = await probeWhere(host.client, 'proc');
    const grandchild = (await host.client.callTool({ name: 'proc__grandchild', arguments: {} })).structuredContent as { pid: number };
    await host.close();
    await pollUntil('guest and grandchild to be gone', async () => processAlive(guest.pid) || processAlive(grandchild.pid), (alive) => !alive);
  });
});
