import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ResourceListChangedNotificationSchema, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostStatus, pluginToolNames } from '../helpers/host-status.js';
import { nodeBinaries } from '../helpers/node-binaries.js';
import { createReloadSandbox, type ReloadSandbox } from '../helpers/reload-sandbox.js';
import { probeInfo } from '../helpers/reload-probe.js';
import { countNotifications, pollUntil, sleep, waitForWatching, type NotificationCounter } from '../helpers/reload-wait.js';
import { spawnHost, type HostUnderTest } from '../helpers/spawn-host.js';

/** Edits of plugins.json: only the instances that changed are touched, and a broken edit changes nothing. */
describe.each(nodeBinaries())('hot reload of plugins.json ($label)', ({ path: node }) => {
  let sandbox: ReloadSandbox;
  let host: HostUnderTest;
  let toolChanges: NotificationCounter<unknown>;
  // reload-probe keeps process-wide state across generations, so it runs in-process (workers get tested elsewhere).
  const probe = (label: string, more: object = {}) => ({ plugin: 'reload-probe', config: { label }, isolation: 'in-process', ...more });

  beforeAll(async () => {
    sandbox = createReloadSandbox(['reload-probe']);
    sandbox.writeConfig({ alpha: probe('alpha-1'), beta: probe('beta-1') });
    host = await spawnHost({ configPath: sandbox.configPath, node });
    toolChanges = countNotifications(host.client, ToolListChangedNotificationSchema);
    // list_changed goes only to clients that listed that kind.
    expect(pluginToolNames((await host.client.listTools()).tools)).toContain('alpha__info');
    await waitForWatching(host);
  });
  afterAll(() => host?.close());

  it('disabling an instance removes its tools (list_changed, host__status "disabled"); enabling it brings them back', async () => {
    const seen = toolChanges.items.length;
    sandbox.writeConfig({ alpha: probe('alpha-1', { enabled: false }), beta: probe('beta-1') });
    await toolChanges.waitFor(seen + 1, 'tools/list_changed after disabling alpha');
    const names = pluginToolNames((await host.client.listTools()).tools);
    expect(names.filter((n) => n.startsWith('alpha__'))).toEqual([]);
    expect(names).toContain('beta__info');
    expect((await hostStatus(host.client)).byId('alpha')).toMatchObject({ state: 'disabled', tools: 0 });
    await expect(host.client.callTool({ name: 'alpha__info', arguments: {} })).rejects.toThrow(/Unknown tool: alpha__info/);

    sandbox.writeConfig({ alpha: probe('alpha-1', { enabled: true }), beta: probe('beta-1') });
    await toolChanges.waitFor(seen + 2, 'tools/list_changed after enabling alpha');
    expect(pluginToolNames((await host.client.listTools()).tools)).toContain('alpha__info');
    expect((await hostStatus(host.client)).byId('alpha')).toMatchObject({ state: 'serving' });
    expect(await probeInfo(host.client, 'alpha')).toMatchObject({ label: 'alpha-1' });
  });

  it('a changed config runs on a new generation of that instance only; the other instance is not restarted', async () => {
    const alpha = await probeInfo(host.client, 'alpha');
    const beta = await probeInfo(host.client, 'beta');
    expect(beta.starts).toBe(1);
    sandbox.writeConfig({ alpha: probe('alpha-2'), beta: probe('beta-1') });
    const after = await pollUntil('alpha to serve label alpha-2', () => probeInfo(host.client, 'alpha'), (i) => i.label === 'alpha-2');
    expect(after.generation).toBeGreaterThan(alpha.generation);
    expect(after.starts).toBe(alpha.starts + 1);
    // The old generation is drained and stopped as a reload, not left running.
    await pollUntil('alpha\'s previous generation to stop', () => probeInfo(host.client, 'alpha'), (i) =>
      i.stopped.some((s) => s.generation === alpha.generation && s.reason === 'reload'),
    );
    expect(await probeInfo(host.client, 'beta')).toMatchObject({ label: 'beta-1', generation: beta.generation, starts: 1, stopped: [] });
  });

  it('follows an editor that saves by writing a temp file and renaming it over plugins.json (twice: the watch survives the rename)', async () => {
    sandbox.writeConfig({ alpha: probe('alpha-3'), beta: probe('beta-1') }, {}, 'rename');
    await pollUntil('alpha to serve alpha-3 (saved by rename)', () => probeInfo(host.client, 'alpha'), (i) => i.label === 'alpha-3');
    sandbox.writeConfig({ alpha: probe('alpha-4'), beta: probe('beta-1') }, {}, 'rename');
    await pollUntil('alpha to serve alpha-4 (saved by rename again)', () => probeInfo(host.client, 'alpha'), (i) => i.label === 'alpha-4');
  });

  it('refuses an invalid plugins.json (configError in host__status and on stderr) while the last good config keeps serving; a fixed file applies', async () => {
    const alpha = await probeInfo(host.client, 'alpha');
    sandbox.writeConfigText('{ "plugins": { "alpha": ');
    const broken = await pollUntil('host__status to show a configError', () => hostStatus(host.client), (s) => s.configError !== undefined);
    expect(broken.text).toContain('plugins.json not loaded');
    expect(host.stderr()).toMatch(/plugins\.json change refused/);
    expect(broken.byId('alpha')).toMatchObject({ state: 'serving' });
    expect(await probeInfo(host.client, 'alpha')).toMatchObject({ label: 'alpha-4', generation: alpha.generation });

    // Valid JSON that breaks the schema is refused the same way, and changes nothing either.
    sandbox.writeConfigText(JSON.stringify({ pluginDirs: [sandbox.pluginsDir], plugins: { alpha: { plugin: 'reload-probe', config: { label: 'nope' }, colour: 'red' } } }));
    await pollUntil('host__status to name the unknown key', () => hostStatus(host.client), (s) => /colour/.test(s.configError ?? ''));
    expect(await probeInfo(host.client, 'alpha')).toMatchObject({ label: 'alpha-4', generation: alpha.generation });
    expect((await hostStatus(host.client)).byId('beta')).toMatchObject({ state: 'serving' });

    sandbox.writeConfig({ alpha: probe('alpha-5'), beta: probe('beta-1') });
    const fixed = await pollUntil('the fixed plugins.json to apply', () => hostStatus(host.client), (s) => s.configError === undefined);
    expect(fixed.text).not.toContain('plugins.json not loaded');
    await pollUntil('alpha to serve alpha-5', () => probeInfo(host.client, 'alpha'), (i) => i.label === 'alpha-5');
    expect(await probeInfo(host.client, 'beta')).toMatchObject({ label: 'beta-1', starts: 1 });
  });

  it('one edit touching several instances sends exactly one tools/list_changed (and one resources/list_changed)', async () => {
    const resourceChanges = countNotifications(host.client, ResourceListChangedNotificationSchema);
    await host.client.listResources(); // so resources/list_changed is due too
    const seen = toolChanges.items.length;
    sandbox.writeConfig({ alpha: probe('alpha-6'), beta: probe('beta-2'), gamma: probe('gamma-1') });
    await toolChanges.waitFor(seen + 1, 'tools/list_changed after the three-instance edit');
    const status = await pollUntil('alpha, beta and gamma all serving', () => hostStatus(host.client), (s) =>
      ['alpha', 'beta', 'gamma'].every((id) => s.instances.some((i) => i.instance === id && i.state === 'serving')),
    );
    expect(status.instances.map((i) => i.instance)).toEqual(['alpha', 'beta', 'gamma']);
    expect((await probeInfo(host.client, 'beta')).label).toBe('beta-2');
    expect((await probeInfo(host.client, 'alpha')).label).toBe('alpha-6');
    await sleep(1000); // a second notification of the same burst would arrive within this
    expect(toolChanges.items.length).toBe(seen + 1);
    expect(resourceChanges.items.length).toBe(1);
    expect(host.badStdout).toEqual([]);
  });

  it('an edit of the .env beside plugins.json re-applies the config with the new value', async () => {
    writeFileSync(join(sandbox.dir, '.env'), 'PROBE_LABEL=from-env-1\n');
    sandbox.writeConfig({ alpha: probe('${PROBE_LABEL}'), beta: probe('beta-2'), gamma: probe('gamma-1') });
    await pollUntil('alpha to serve the .env value', () => probeInfo(host.client, 'alpha'), (i) => i.label === 'from-env-1');
    const beta = await probeInfo(host.client, 'beta');
    writeFileSync(join(sandbox.dir, '.env'), 'PROBE_LABEL=from-env-2\n');
    await pollUntil('alpha to serve the edited .env value', () => probeInfo(host.client, 'alpha'), (i) => i.label === 'from-env-2');
    expect(await probeInfo(host.client, 'beta')).toMatchObject({ generation: beta.generation });
  });
});
