import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, type TestContext } from 'vitest';
import { nodeBinaries } from '../helpers/node-binaries.js';
import { spawnRawDaemon } from '../helpers/raw-daemon.js';
import { writeConfig } from '../helpers/spawn-host.js';

/**
 * A sandbox with four configs, each serving `hello` under its own instance name, so the exposed
 * tool tells which file the daemon read: ./flag/plugins.json (for --config), ./env/plugins.json
 * (for MCP_HOST_CONFIG), ./plugins.json in the cwd, and the user's config folder (XDG_CONFIG_HOME).
 */
function sandbox(withCwdFile: boolean) {
  const root = mkdtempSync(join(tmpdir(), 'mcp-host-resolve-'));
  const home = join(root, 'home');
  const xdg = join(root, 'xdg');
  for (const d of ['flag', 'env', 'home', join('xdg', 'mcp-host')]) mkdirSync(join(root, d), { recursive: true });
  writeConfig({ plugins: { fromflag: { plugin: 'hello' } } }, join(root, 'flag'));
  writeConfig({ plugins: { fromenv: { plugin: 'hello' } } }, join(root, 'env'));
  if (withCwdFile) writeConfig({ plugins: { fromcwd: { plugin: 'hello' } } }, root);
  writeConfig({ plugins: { fromuser: { plugin: 'hello' } } }, join(xdg, 'mcp-host'));
  return { root, env: { HOME: home, XDG_CONFIG_HOME: xdg } };
}

async function servedInstance(node: string, options: { args: string[]; cwd: string; env: Record<string, string> }, onTestFinished: TestContext['onTestFinished']): Promise<string[]> {
  const daemon = spawnRawDaemon({ node, ...options });
  onTestFinished(() => daemon.kill());
  await daemon.initialize();
  const list = await daemon.request('tools/list');
  daemon.child.stdin.end();
  await daemon.exited;
  return (list.result.tools as { name: string }[]).map((t) => t.name).filter((n) => n.endsWith('__greet'));
}

describe.concurrent.each(nodeBinaries())('where the config comes from ($label)', ({ path: node }) => {
  it('--config wins over MCP_HOST_CONFIG and ./plugins.json (and resolves against the cwd)', async ({ onTestFinished }) => {
    const { root, env } = sandbox(true);
    const args = ['serve', '--config', join('flag', 'plugins.json')];
    expect(await servedInstance(node, { args, cwd: root, env: { ...env, MCP_HOST_CONFIG: join(root, 'env', 'plugins.json') } }, onTestFinished)).toEqual(['fromflag__greet']);
  });

  it('MCP_HOST_CONFIG wins over ./plugins.json', async ({ onTestFinished }) => {
    const { root, env } = sandbox(true);
    expect(await servedInstance(node, { args: ['serve'], cwd: root, env: { ...env, MCP_HOST_CONFIG: join(root, 'env', 'plugins.json') } }, onTestFinished)).toEqual(['fromenv__greet']);
  });

  it('./plugins.json in the cwd wins over the user config folder', async ({ onTestFinished }) => {
    const { root, env } = sandbox(true);
    expect(await servedInstance(node, { args: ['serve'], cwd: root, env }, onTestFinished)).toEqual(['fromcwd__greet']);
  });

  it('the user config folder is used last', async ({ onTestFinished }) => {
    const { root, env } = sandbox(false);
    expect(await servedInstance(node, { args: [], cwd: root, env }, onTestFinished)).toEqual(['fromuser__greet']);
  });
});
