import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, type TestContext } from 'vitest';
import { fixturePluginsDir } from '../helpers/host-status.js';
import { nodeBinaries } from '../helpers/node-binaries.js';
import { processAlive } from '../helpers/process-alive.js';
import { spawnRawDaemon, type RawDaemon } from '../helpers/raw-daemon.js';
import { writeConfig } from '../helpers/spawn-host.js';

/** The bound: after a signal, the process is gone within 5 s, whatever plugins do. */
const EXIT_BOUND_MS = 5000;

describe.concurrent.each(nodeBinaries())('a plugin whose stop hangs ($label)', ({ path: node }) => {
  /** Starts the daemon with a hanging stop last in the file, sends SIGTERM and waits for the exit. */
  async function startAndTerminate(timeouts: object, onTestFinished: TestContext['onTestFinished']) {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-host-hang-'));
    const configPath = writeConfig(
      {
        pluginDirs: [fixturePluginsDir],
        timeouts,
        plugins: {
          first: { plugin: 'life-stop-recorder', config: { stopLog: './stops.log' } },
          kid: { plugin: 'life-child-spawner', config: { pidFile: './child.pid' } },
          // Last in the file, so it is the first to be stopped, and its stop never returns.
          stubborn: { plugin: 'life-stop-hangs' },
        },
      },
      dir,
    );
    const daemon = spawnRawDaemon({ configPath, node });
    let childPid = 0;
    onTestFinished(() => {
      daemon.kill();
      if (childPid && processAlive(childPid)) process.kill(childPid, 'SIGKILL');
    });
    await daemon.initialize();
    const list = await daemon.request('tools/list');
    expect(list.result.tools.map((t: { name: string }) => t.name)).toContain('stubborn__stubborn');
    childPid = Number(readFileSync(join(dir, 'child.pid'), 'utf8'));
    expect(processAlive(childPid)).toBe(true);
    const firedAt = Date.now();
    daemon.child.kill('SIGTERM');
    const exit = await daemon.exited;
    return { dir, daemon, childPid, exitMs: exit.at - firedAt, exit };
  }

  it('with the default stop timeout: the others still stop, the process exits in time, no child is left', async ({ onTestFinished }) => {
    const { dir, daemon, childPid, exitMs, exit } = await startAndTerminate({}, onTestFinished);
    expect(exitMs).toBeLessThan(EXIT_BOUND_MS);
    expect(exit.signal).toBeNull();
    expect(readFileSync(join(dir, 'stops.log'), 'utf8').trim().split('\n')).toEqual(['first']);
    expect(processAlive(childPid)).toBe(false);
    expect(daemon.stderr()).toMatch(/stop of instance "stubborn" did not finish/);
  });

  it('with a stop timeout longer than the exit bound: the process still exits in time', async ({ onTestFinished }) => {
    const { exitMs, exit } = await startAndTerminate({ stopMs: 60000 }, onTestFinished);
    expect(exitMs).toBeLessThan(EXIT_BOUND_MS);
    expect(exit.signal).toBeNull();
  });
});
