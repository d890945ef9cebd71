import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePluginsDir } from '../helpers/host-status.js';
import { nodeBinaries } from '../helpers/node-binaries.js';
import { spawnRawDaemon, type RawDaemon } from '../helpers/raw-daemon.js';
import { writeConfig } from '../helpers/spawn-host.js';

/** Resolves once `check()` holds, polling; the test's own timeout bounds it. */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 20));
}

const WAYS = ['console.log', 'console.info', 'console.debug', 'stdout.write', 'partial-line'];

describe.each(nodeBinaries())('stdout is the protocol ($label)', ({ path: node }) => {
  let daemon: RawDaemon;
  let toolText = '';
  beforeAll(async () => {
    const configPath = writeConfig({
      pluginDirs: [fixturePluginsDir],
      logLevel: 'debug',
      plugins: { hello: {}, noisy: { plugin: 'life-stdout-polluter' } },
    });
    daemon = spawnRawDaemon({ configPath, node });
    await daemon.initialize();
    const list = await daemon.request('tools/list');
    expect(list.result.tools.map((t: { name: string }) => t.name)).toContain('noisy__noisy');
    const call = await daemon.request('tools/call', { name: 'noisy__noisy', arguments: {} });
    toolText = call.result?.content?.[0]?.text ?? JSON.stringify(call);
    // Let the plugin's timer pollute a few times while requests keep flowing.
    await until(() => daemon.stderr().includes('POLLUTION console.log timer-3'));
    await daemon.request('tools/call', { name: 'hello__greet', arguments: { name: 'Ada' } });
    daemon.child.stdin.end();
    await daemon.exited;
  });
  afterAll(() => daemon?.kill());

  it('writes only JSON-RPC 2.0 messages to stdout, one per line', () => {
    const lines = daemon.stdoutLines();
    expect(lines.length).toBeGreaterThanOrEqual(4);
    for (const line of lines) {
      let message: { jsonrpc?: unknown };
      try {
        message = JSON.parse(line);
      } catch {
        throw new Error(`stdout line is not JSON: ${JSON.stringify(line)}`);
      }
      expect(message.jsonrpc, line).toBe('2.0');
    }
    expect(daemon.stdoutTail()).toBe('');
    expect(lines.join('\n')).not.toContain('POLLUTION');
  });

  it('answered the polluting tool normally', () => {
    expect(toolText).toMatch(/^quiet answer after \d+ ticks$/);
  });

  it.each(['import', 'register', 'start', 'handler', 'timer-1'])('sends what the plugin printed at %s to stderr', (where) => {
    for (const way of WAYS) expect(daemon.stderr()).toContain(`POLLUTION ${way} ${where}`);
  });
});
