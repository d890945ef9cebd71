import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { processAlive } from '../../helpers/process-alive.js';
import { jsonOf } from '../../helpers/proto-fixture.js';
import { spawnRawDaemon, type RawDaemon } from '../../helpers/raw-daemon.js';
import { pollUntil } from '../../helpers/reload-wait.js';
import { spawnHost, writeConfig, type HostUnderTest } from '../../helpers/spawn-host.js';
import { eventually, serversDir, toolsOnce } from './harness.js';

interface TreePids {
  parent: number;
  server: number;
  grandchild: number;
}

/**
 * The server runs behind a shell that stays its parent (as `npx` → `sh` → `node` does), and starts a
 * grandchild that ignores SIGTERM: reaping only the direct child, or only with SIGTERM, leaves processes.
 */
function treeInstance(node: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    plugin: 'mcp-server',
    config: { command: '/bin/sh', args: ['-c', `"${node}" tree-server.mjs; exit $?`], cwd: serversDir, killGraceMs: 300, ...extra },
  };
}

const allGone = (pids: TreePids) => eventually(() => ![pids.parent, pids.server, pids.grandchild].some(processAlive));

// One Node suffices here (spawning and signalling do not differ between 20 and 22); passthrough.test.ts runs on both.
describe('mcp-server reaps the whole process tree', () => {
  const node = process.execPath;
  let host: HostUnderTest | undefined;
  let raw: RawDaemon | undefined;
  const seen: TreePids[] = [];
  afterEach(async () => {
    await host?.close();
    raw?.kill();
    host = raw = undefined;
    for (const pids of seen.splice(0)) for (const pid of Object.values(pids)) if (processAlive(pid)) process.kill(pid, 'SIGKILL');
  });

  /** The tree's pids, all alive when read (so the old tree cannot have been counted gone before it existed). */
  const pidsOf = async (h: HostUnderTest): Promise<TreePids> => {
    const pids = await readPids(h);
    expect([pids.parent, pids.server, pids.grandchild].every(processAlive)).toBe(true);
    return pids;
  };
  const readPids = async (h: HostUnderTest): Promise<TreePids> => {
    const pids = jsonOf<TreePids>(await h.client.callTool({ name: 'tree__pids', arguments: {} }));
    seen.push(pids);
    return pids;
  };

  it('on stop (instance disabled) and on reload (config changed): no process of the old tree is left', async () => {
    const configPath = writeConfig({ plugins: { tree: treeInstance(node) } });
    host = await spawnHost({ configPath, node });
    await toolsOnce(host.client, 'tree__pids');
    const first = await pidsOf(host);

    // Reload: a changed config builds a new generation (a new tree) and retires the old one.
    writeFileSync(configPath, JSON.stringify({ plugins: { tree: treeInstance(node, { env: { CHANGED: '1' } }) } }));
    // While the reload runs, a call may still reach the old tree as it is being retired: poll without judging it.
    const reloaded = await pollUntil('the reloaded tree', () => readPids(host!).catch(() => first), (p) => p.server !== first.server);
    expect(await allGone(first)).toBe(true);
    const second = await pidsOf(host);
    expect(second.server).toBe(reloaded.server);

    // Stop: the instance disabled.
    writeFileSync(configPath, JSON.stringify({ plugins: { tree: { ...treeInstance(node), enabled: false } } }));
    await pollUntil('the instance to go', async () => (await host!.client.listTools()).tools.map((t) => t.name), (names) => !names.includes('tree__pids'));
    expect(await allGone(second)).toBe(true);
  });

  it('on host exit (stdin closed): no process of the tree is left', async () => {
    const configPath = writeConfig({ watch: false, plugins: { tree: treeInstance(node, { catalogWaitMs: 20_000 }) } });
    raw = spawnRawDaemon({ configPath, node });
    await raw.initialize();
    const answer = await raw.request('tools/call', { name: 'tree__pids', arguments: {} });
    const pids = jsonOf<TreePids>(answer.result);
    seen.push(pids);
    raw.child.stdin.end();
    expect((await raw.exited).code).toBe(0);
    expect(await allGone(pids)).toBe(true);
  });

  it('when the host is killed outright (SIGKILL): the guard reaps the tree', async () => {
    const configPath = writeConfig({ watch: false, plugins: { tree: treeInstance(node, { catalogWaitMs: 20_000 }) } });
    raw = spawnRawDaemon({ configPath, node });
    await raw.initialize();
    const pids = jsonOf<TreePids>((await raw.request('tools/call', { name: 'tree__pids', arguments: {} })).result);
    seen.push(pids);
    raw.child.kill('SIGKILL');
    await raw.exited;
    expect(await allGone(pids)).toBe(true);
  });
});

