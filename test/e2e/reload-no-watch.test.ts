import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeBinaries } from '../helpers/node-binaries.js';
import { firstText, probeInfo } from '../helpers/reload-probe.js';
import { createReloadSandbox, type ReloadSandbox } from '../helpers/reload-sandbox.js';
import { countNotifications, pollUntil, sleep, waitForWatching, type NotificationCounter } from '../helpers/reload-wait.js';
import { spawnHostWithArgs } from '../helpers/spawn-host-args.js';
import { spawnHost, type HostUnderTest } from '../helpers/spawn-host.js';

/**
 * `serve --no-watch` ignores edits; SIGHUP reloads plugins.json and every plugin's code on demand.
 * A second, watching daemon on the same files shows when the edits were there to be seen.
 */
describe.each(nodeBinaries())('--no-watch and SIGHUP ($label)', ({ path: node }) => {
  let sandbox: ReloadSandbox;
  let still: HostUnderTest;
  let witness: HostUnderTest;
  let toolChanges: NotificationCounter<unknown>;
  const message = async (host: HostUnderTest) => firstText(await host.client.callTool({ name: 'multi__message', arguments: {} }));
  // reload-probe keeps process-wide state across generations, so it runs in-process.
  const config = (label: string) => ({ alpha: { plugin: 'reload-probe', config: { label }, isolation: 'in-process' }, multi: { plugin: 'reload-multi' } });

  beforeAll(async () => {
    sandbox = createReloadSandbox(['reload-probe', 'reload-multi']);
    sandbox.writeConfig(config('first'));
    [still, witness] = await Promise.all([
      spawnHostWithArgs({ configPath: sandbox.configPath, node, args: ['--no-watch'] }),
      spawnHost({ configPath: sandbox.configPath, node }),
    ]);
    toolChanges = countNotifications(still.client, ToolListChangedNotificationSchema);
    await still.client.listTools();
    await waitForWatching(witness);
  });
  afterAll(async () => {
    await still?.close();
    await witness?.close();
  });

  it('ignores edits of plugins.json and of plugin code', async () => {
    expect(still.stderr()).not.toContain('watching plugins.json');
    sandbox.writeConfig(config('second'));
    sandbox.editPlugin('reload-multi', 'lib/message.js', (t) => t.replace(`'v1'`, `'v2'`));
    await pollUntil('the watching daemon to apply the config edit', () => probeInfo(witness.client, 'alpha'), (i) => i.label === 'second');
    await pollUntil('the watching daemon to run the edited code', () => message(witness), (t) => t === 'message v2');
    await sleep(1500); // longer than a watcher's debounce and max wait: the edits had every chance to be picked up
    expect(await probeInfo(still.client, 'alpha')).toMatchObject({ label: 'first', starts: 1 });
    expect(await message(still)).toBe('message v1');
    expect(toolChanges.items).toEqual([]);
  });

  it('SIGHUP reloads the configuration and every plugin\'s code', async () => {
    const before = await probeInfo(still.client, 'alpha');
    process.kill(still.pid, 'SIGHUP');
    await pollUntil('SIGHUP to apply the config edit', () => probeInfo(still.client, 'alpha'), (i) => i.label === 'second');
    await pollUntil('SIGHUP to load the edited code', () => message(still), (t) => t === 'message v2');
    await toolChanges.waitFor(1, 'tools/list_changed after SIGHUP');
    expect((await probeInfo(still.client, 'alpha')).generation).not.toBe(before.generation);
    expect(still.stderr()).toContain('SIGHUP');
    expect(still.badStdout).toEqual([]);
  });
});
