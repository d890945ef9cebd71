// Issue 5, "Resources and prompts": templates for a container's logs, stats and inspect output (same
// bounds and redaction as the tools), the events resource; subscribing to a container's logs pushes
// throttled updates as new lines arrive, to events as they happen; the diagnose_container prompt with
// completion of container names.
import { ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDockerEngine } from '../../helpers/docker-engine.js';
import { dockerConfig } from '../../helpers/docker-fixture.js';
import { recordNotifications } from '../../helpers/proto-fixture.js';
import { spawnHost, type HostUnderTest } from '../../helpers/spawn-host.js';

const engine = await findDockerEngine();
const THROTTLE = 400;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** The text of a resources/read answer's first content. */
const textOf = (read: { contents: unknown[] }) => String((read.contents[0] as { text?: unknown }).text);

describe.skipIf(!engine)('docker plugin: resources, subscriptions and the diagnose prompt', () => {
  const e = engine!;
  const ns = e.instanceName('drp');
  let host: HostUnderTest;
  let updates: ReturnType<typeof recordNotifications>;
  let talker: { id: string; name: string };
  let crashed: { id: string; name: string };
  const uri = (id: string, kind: string) => `docker://${ns}/containers/${id}/${kind}`;
  const updatesFor = (target: string) => updates.items.filter((u) => (u as { uri: string }).uri === target).length;
  /** Makes the talker print a burst of `lines` lines (it waits for a trigger file). */
  const burst = async (lines: number) => {
    const exec = await e.docker.getContainer(talker.id).exec({ Cmd: ['sh', '-c', `echo ${lines} > /tmp/go`] });
    await exec.start({ Detach: true });
  };

  beforeAll(async () => {
    [talker, crashed] = await Promise.all([
      e.run({ cmd: ['sh', '-c', 'echo ready; while :; do if [ -f /tmp/go ]; then seq 1 $(cat /tmp/go); rm /tmp/go; fi; sleep 0.05; done'], env: ['SESSION_SECRET=resource-secret-3'] }),
      e.run({ cmd: ['sh', '-c', 'echo starting worker; echo "fatal: cannot open /data/db" >&2; exit 3'] }),
    ]);
    await e.waitExit(crashed.id);
    host = await spawnHost({
      configPath: dockerConfig({ [ns]: { socketPath: e.socketPath, subscriptionThrottleMs: THROTTLE } }),
      setup: (client) => {
        updates = recordNotifications(client, ResourceUpdatedNotificationSchema);
      },
    });
  });
  afterAll(async () => {
    await host?.close();
    await e.cleanup();
  });

  it('offers the logs, stats and inspect templates and the events resource', async () => {
    const { resourceTemplates } = await host.client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate).filter((u) => u.startsWith(`docker://${ns}/`)).sort()).toEqual(
      [uri('{id}', 'inspect'), uri('{id}', 'logs'), uri('{id}', 'stats')].sort(),
    );
    const { resources } = await host.client.listResources();
    const uris = resources.map((r) => r.uri);
    expect(uris).toContain(`docker://${ns}/events`);
    expect(uris).toContain(uri(talker.name, 'logs'));
  });

  it('reads logs, stats and inspect output through the templates, with the tools\' bounds and redaction', async () => {
    const logs = await host.client.readResource({ uri: uri(crashed.name, 'logs') });
    expect(logs.contents[0]).toMatchObject({ uri: uri(crashed.name, 'logs'), mimeType: 'text/plain' });
    expect(textOf(logs)).toBe(
      `logs of ${crashed.name} (${crashed.id.slice(0, 12)}), tail=100\n--- stdout (1 line) ---\nstarting worker\n--- stderr (1 line) ---\nfatal: cannot open /data/db`,
    );
    const stats = JSON.parse(textOf(await host.client.readResource({ uri: uri(talker.id, 'stats') })));
    expect(stats).toMatchObject({ id: talker.id, running: true, memory: { limitBytes: 128 * 1024 * 1024 } });
    const inspect = textOf(await host.client.readResource({ uri: uri(talker.name, 'inspect') }));
    expect(JSON.parse(inspect).Config.Env).toContain('SESSION_SECRET=[redacted]');
    expect(inspect).not.toContain('resource-secret-3');
    await expect(host.client.readResource({ uri: uri('..%2F..%2Fimages', 'logs') })).rejects.toThrow(/is not a container id or name/);
    await expect(host.client.readResource({ uri: uri(e.name('absent'), 'stats') })).rejects.toThrow(/No such container/);
  });

  it('pushes throttled updates while subscribed to a container\'s logs, and none after unsubscribing', async () => {
    const target = uri(talker.name, 'logs');
    await host.client.subscribeResource({ uri: target });
    const before = updatesFor(target);
    await burst(3000);
    await updates.next(updates.items.length + 1);
    // 3000 lines arrive in many chunks within one throttle window: a handful of updates, not thousands.
    await pause(THROTTLE * 3);
    const afterBurst = updatesFor(target);
    expect(afterBurst - before).toBeGreaterThanOrEqual(1);
    expect(afterBurst - before).toBeLessThanOrEqual(3);
    const read = await host.client.readResource({ uri: target });
    expect(textOf(read)).toMatch(/\n2999\n3000\n--- stderr \(0 lines\) ---$/);

    await burst(5);
    await updates.next(updates.items.length + 1);
    expect(updatesFor(target)).toBeGreaterThan(afterBurst);

    await host.client.unsubscribeResource({ uri: target });
    const settled = updatesFor(target);
    await burst(5);
    await pause(THROTTLE * 3);
    expect(updatesFor(target)).toBe(settled);
  });

  it('pushes an update of the events resource as events happen', async () => {
    const target = `docker://${ns}/events`;
    await host.client.subscribeResource({ uri: target });
    const before = updatesFor(target);
    const started = await e.run({ cmd: ['true'] });
    while (updatesFor(target) === before) await updates.next(updates.items.length + 1);
    let text = '';
    for (let i = 0; i < 50 && !text.includes(`container die ${started.name}`); i++) {
      text = textOf(await host.client.readResource({ uri: target }));
      if (!text.includes(`container die ${started.name}`)) await pause(100);
    }
    expect(text).toMatch(new RegExp(`container create ${started.name} image=mcp-host-test/busybox:1`));
    expect(text).toMatch(new RegExp(`container die ${started.name} image=mcp-host-test/busybox:1 exitCode=0`));
    await host.client.unsubscribeResource({ uri: target });
  });

  it('builds diagnose_container from state, recent logs and resource use', async () => {
    const { prompts } = await host.client.listPrompts();
    expect(prompts.find((p) => p.name === `${ns}__diagnose_container`)).toMatchObject({ arguments: [{ name: 'id', required: true }] });
    const crash = await host.client.getPrompt({ name: `${ns}__diagnose_container`, arguments: { id: crashed.name } });
    const text = (crash.messages[0].content as { text: string }).text;
    expect(text).toContain(`container: ${crashed.name} (${crashed.id.slice(0, 12)}), image mcp-host-test/busybox:1`);
    expect(text).toMatch(/state: exited, exit code 3, finished \d{4}-/);
    expect(text).toContain('OOM killed: no; restarts: 0');
    expect(text).toContain('stdout:\nstarting worker');
    expect(text).toContain('stderr:\nfatal: cannot open /data/db');
    expect(text).toContain(`${ns}__container_logs`);
    expect(text).not.toContain('Resource use');
    const live = await host.client.getPrompt({ name: `${ns}__diagnose_container`, arguments: { id: talker.name } });
    const liveText = (live.messages[0].content as { text: string }).text;
    expect(liveText).toMatch(/Resource use:\n\S+ \(\w{12}\)\nCPU [\d.]+%/);
    expect(liveText).not.toContain('resource-secret-3');
    await expect(host.client.getPrompt({ name: `${ns}__diagnose_container`, arguments: { id: 'no such/thing' } })).rejects.toThrow(/is not a container id or name/);
  });

  it('completes container names for the prompt and the templates', async () => {
    const prefix = talker.name.slice(0, -2);
    const forPrompt = await host.client.complete({ ref: { type: 'ref/prompt', name: `${ns}__diagnose_container` }, argument: { name: 'id', value: prefix } });
    expect(forPrompt.completion.values).toContain(talker.name);
    expect(forPrompt.completion.values.every((v) => v.startsWith(prefix))).toBe(true);
    const forTemplate = await host.client.complete({ ref: { type: 'ref/resource', uri: uri('{id}', 'logs') }, argument: { name: 'id', value: crashed.name } });
    expect(forTemplate.completion.values).toEqual([crashed.name]);
  });
});
