import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixturePluginsDir } from '../helpers/host-status.js';
import { nodeBinaries } from '../helpers/node-binaries.js';
import { processAlive } from '../helpers/process-alive.js';
import { spawnRawDaemon, type RawDaemon } from '../helpers/raw-daemon.js';
import { writeConfig } from '../helpers/spawn-host.js';

/** The bound: after stdin closes or a signal, the process is gone within 5 s. */
const EXIT_BOUND_MS = 5000;

const triggers: { label: string; fire(d: RawDaemon): void }[] = [
  { label: 'stdin closing', fire: (d) => d.child.stdin.end() },
  { label: 'SIGTERM', fire: (d) => d.child.kill('SIGTERM') },
  { label: 'SIGINT', fire: (d) => d.child.kill('SIGINT') },
];

describe.each(nodeBinaries())('clean exit ($label)', ({ path: node }) => {
  let daemon: RawDaemon | undefined;
  let childPid: number | undefined;
  afterEach(() => {
    daemon?.kill();
    if (childPid && processAlive(childPid)) process.kill(childPid, 'SIGKILL');
  });

  it.each(triggers)('on $label: stops plugins in reverse config order, exits in time, leaves no child process', async ({ fire }) => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-host-exit-'));
    const configPath = writeConfig(
      {
        pluginDirs: [fixturePluginsDir],
        plugins: {
          first: { plugin: 'life-stop-recorder', config: { stopLog: './stops.log' } },
          second: { plugin: 'life-stop-recorder', config: { stopLog: './stops.log' } },
          kid: { plugin: 'life-child-spawner', config: { pidFile: './child.pid' } },
          third: { plugin: 'life-stop-recorder', config: { stopLog: './stops.log' } },
        },
      },
      dir,
    );
    daemon = spawnRawDaemon({ configPath, node });
    await daemon.initialize();
    const list = await daemon.request('tools/list'); // waits until every instance has started
    expect(list.result.tools.map((t: { name: string }) => t.name)).toEqual(expect.arrayContaining(['first__alive', 'kid__child_pid', 'third__alive']));
    childPid = Number(readFileSync(join(dir, 'child.pid'), 'utf8'));
    expect(processAlive(childPid)).toBe(true);

    const firedAt = Date.now();
    fire(daemon);
    const exit = await daemon.exited;

    expect(exit.at - firedAt).toBeLessThan(EXIT_BOUND_MS);
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(existsSync(join(dir, 'stops.log'))).toBe(true);
    expect(readFileSync(join(dir, 'stops.log'), 'utf8').trim().split('\n')).toEqual(['third', 'second', 'first']);
    expect(processAlive(childPid)).toBe(false);
    expect(daemon.stderr()).toMatch(/shutting down/);
  });
});
