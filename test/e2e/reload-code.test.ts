import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostStatus, pluginToolNames } from '../helpers/host-status.js';
import { nodeBinaries } from '../helpers/node-binaries.js';
import { firstText } from '../helpers/reload-probe.js';
import { createReloadSandbox, type ReloadSandbox } from '../helpers/reload-sandbox.js';
import { countNotifications, pollUntil, waitForWatching, type NotificationCounter } from '../helpers/reload-wait.js';
import { spawnHost, type HostUnderTest } from '../helpers/spawn-host.js';

/** Edits of plugin folders (copies of fixtures in a temp folder): new code runs, broken code never replaces working code. */
describe.each(nodeBinaries())('hot reload of plugin code ($label)', ({ path: node }) => {
  let sandbox: ReloadSandbox;
  let host: HostUnderTest;
  let toolChanges: NotificationCounter<unknown>;
  const message = async () => {
    const result = await host.client.callTool({ name: 'multi__message', arguments: {} });
    expect(result.isError).toBeFalsy();
    return firstText(result);
  };
  const multiStatus = async () => (await hostStatus(host.client)).byId('multi');
  const setMessage = (from: string, to: string) => sandbox.editPlugin('reload-multi', 'lib/message.js', (t) => t.replace(`'${from}'`, `'${to}'`));
  const manifest = () => JSON.parse(JSON.stringify({ id: 'reload-multi', version: '1.0.0', hostApi: '^1.0.0', main: 'index.js' }));

  beforeAll(async () => {
    // reload-late is configured but not there yet: it is dropped in by a test.
    sandbox = createReloadSandbox(['reload-multi']);
    sandbox.writeConfig({ multi: { plugin: 'reload-multi' }, late: { plugin: 'reload-late' } });
    host = await spawnHost({ configPath: sandbox.configPath, node });
    toolChanges = countNotifications(host.client, ToolListChangedNotificationSchema);
    await host.client.listTools();
    await waitForWatching(host);
  });
  afterAll(() => host?.close());

  it('editing a file the entry imports (and a file that one imports) runs the new code', async () => {
    expect(await message()).toBe('message v1');
    setMessage('v1', 'v2');
    await pollUntil('multi__message to return the edited text', message, (t) => t === 'message v2');
    sandbox.editPlugin('reload-multi', 'lib/wrap.js', (t) => t.replace('`message ${text}`', '`note ${text}`'));
    await pollUntil('the edit two imports deep to run', message, (t) => t === 'note v2');
    expect(await multiStatus()).toMatchObject({ state: 'serving' });
    expect((await multiStatus()).error).toBeUndefined();
  });

  it('a syntax error keeps the old generation serving with the error in host__status; fixing it loads the fix', async () => {
    sandbox.editPlugin('reload-multi', 'lib/message.js', (t) => t.replace('return wrap(', 'return wrap((('));
    const failed = await pollUntil('host__status to report the failed reload', multiStatus, (s) => s.error !== undefined);
    expect(failed).toMatchObject({ state: 'serving', error: { code: 'IMPORT_FAILED' } });
    expect(failed.error!.message).toContain(sandbox.pluginFile('reload-multi', 'index.js'));
    expect(host.stderr()).toMatch(/reload failed, generation \d+ keeps serving/);
    expect(await message()).toBe('note v2');

    sandbox.editPlugin('reload-multi', 'lib/message.js', (t) => t.replace('return wrap(((', 'return wrap(').replace(`'v2'`, `'v3'`));
    await pollUntil('the fixed code to run', message, (t) => t === 'note v3');
    expect(await multiStatus()).toMatchObject({ state: 'serving' });
    expect((await multiStatus()).error).toBeUndefined();
  });

  it('an invalid plugin.json keeps the old generation serving with MANIFEST_INVALID; fixing it recovers', async () => {
    sandbox.editPlugin('reload-multi', 'plugin.json', () => '{ "id": "reload-multi", "version": ');
    const failed = await pollUntil('host__status to report the broken manifest', multiStatus, (s) => s.error?.code === 'MANIFEST_INVALID');
    expect(failed.state).toBe('serving');
    expect(await message()).toBe('note v3');

    sandbox.editPlugin('reload-multi', 'plugin.json', () => JSON.stringify(manifest()));
    setMessage('v3', 'v4');
    await pollUntil('the repaired plugin to run its new code', message, (t) => t === 'note v4');
    expect((await multiStatus()).error).toBeUndefined();
  });

  it('an incompatible hostApi keeps the old generation serving with HOST_API_MISMATCH; fixing it recovers', async () => {
    sandbox.editPlugin('reload-multi', 'plugin.json', () => JSON.stringify({ ...manifest(), hostApi: '^2.0.0' }));
    setMessage('v4', 'v5'); // must not load: the plugin is refused before its code runs
    const failed = await pollUntil('host__status to report the hostApi mismatch', multiStatus, (s) => s.error?.code === 'HOST_API_MISMATCH');
    expect(failed.state).toBe('serving');
    expect(failed.error!.message).toContain('^2.0.0');
    expect(await message()).toBe('note v4');

    sandbox.editPlugin('reload-multi', 'plugin.json', () => JSON.stringify(manifest()));
    await pollUntil('the compatible plugin to load its new code', message, (t) => t === 'note v5');
    expect((await multiStatus()).error).toBeUndefined();
  });

  it('package imports from the plugin\'s own node_modules keep resolving across reloads', async () => {
    const dep = join(sandbox.pluginFile('reload-multi', 'node_modules'), 'reload-dep');
    mkdirSync(dep, { recursive: true });
    writeFileSync(join(dep, 'package.json'), JSON.stringify({ name: 'reload-dep', version: '1.0.0', type: 'module', exports: './index.js' }));
    writeFileSync(join(dep, 'index.js'), 'export const tag = (text) => `${text} (tagged)`;\n');
    sandbox.editPlugin('reload-multi', 'lib/message.js', (t) => `import { tag } from 'reload-dep';\n${t.replace("wrap('v5')", "wrap(tag('v6'))")}`);
    await pollUntil('the plugin to use its package', message, (t) => t === 'note v6 (tagged)');
    sandbox.editPlugin('reload-multi', 'lib/message.js', (t) => t.replace("tag('v6')", "tag('v7')"));
    await pollUntil('the package to resolve again after another reload', message, (t) => t === 'note v7 (tagged)');
    expect((await multiStatus()).error).toBeUndefined();
  });

  it('a plugin folder dropped into a plugin directory starts the instance that waited for it; removing the folder unloads it', async () => {
    expect((await hostStatus(host.client)).byId('late')).toMatchObject({ state: 'failed', error: { code: 'PLUGIN_NOT_FOUND' } });
    const seen = toolChanges.items.length;
    sandbox.addPlugin('reload-late');
    await pollUntil('late to serve', () => hostStatus(host.client), (s) => s.byId('late').state === 'serving');
    await toolChanges.waitFor(seen + 1, 'tools/list_changed after the folder appeared');
    expect(pluginToolNames((await host.client.listTools()).tools)).toContain('late__shout');
    const shout = await host.client.callTool({ name: 'late__shout', arguments: { word: 'hi' } });
    expect(shout.content).toEqual([{ type: 'text', text: 'HI!' }]);

    sandbox.removePlugin('reload-late');
    const gone = await pollUntil('late to be unloaded', () => hostStatus(host.client), (s) => s.byId('late').state !== 'serving');
    expect(gone.byId('late')).toMatchObject({ state: 'failed', tools: 0, error: { code: 'PLUGIN_NOT_FOUND' } });
    await toolChanges.waitFor(seen + 2, 'tools/list_changed after the folder was removed');
    expect(pluginToolNames((await host.client.listTools()).tools)).not.toContain('late__shout');
    await expect(host.client.callTool({ name: 'late__shout', arguments: { word: 'hi' } })).rejects.toThrow(/Unknown tool/);
    expect(await message()).toBe('note v7 (tagged)');
    expect(host.badStdout).toEqual([]);
  });
});

/** A pluginDirs entry reached through a symlink (macOS temp and home folders often are): edits still reload. */
describe.each(nodeBinaries())('hot reload through a symlinked plugin directory ($label)', ({ path: node }) => {
  let sandbox: ReloadSandbox;
  let host: HostUnderTest;
  const message = async () => firstText(await host.client.callTool({ name: 'multi__message', arguments: {} }));

  beforeAll(async () => {
    sandbox = createReloadSandbox(['reload-multi']);
    const linked = join(sandbox.dir, 'linked-plugins');
    symlinkSync(sandbox.pluginsDir, linked);
    sandbox.writeConfig({ multi: { plugin: 'reload-multi' } }, { pluginDirs: [linked] });
    host = await spawnHost({ configPath: sandbox.configPath, node });
    await waitForWatching(host);
  });
  afterAll(() => host?.close());

  it('an edited file reloads, and a removed folder unloads its instance', async () => {
    expect(await message()).toBe('message v1');
    sandbox.editPlugin('reload-multi', 'lib/message.js', (t) => t.replace(`'v1'`, `'v2'`));
    await pollUntil('the edit to run', message, (t) => t === 'message v2');
    sandbox.removePlugin('reload-multi');
    const gone = await pollUntil('multi to be unloaded', () => hostStatus(host.client), (s) => s.byId('multi').state !== 'serving');
    expect(gone.byId('multi')).toMatchObject({ state: 'failed', error: { code: 'PLUGIN_NOT_FOUND' } });
  });
});
