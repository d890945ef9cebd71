import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostStatus } from '../../helpers/host-status.js';
import { processAlive } from '../../helpers/process-alive.js';
import { jsonOf, textOf } from '../../helpers/proto-fixture.js';
import { pollUntil } from '../../helpers/reload-wait.js';
import { spawnHost, writeConfig, type HostUnderTest } from '../../helpers/spawn-host.js';
import { eventually, nodeServer, toolsOnce } from './harness.js';

describe('mcp-server: slow and dead servers never hold up the host', () => {
  let host: HostUnderTest;
  const marker = join(mkdtempSync(join(tmpdir(), 'mcp-server-marker-')), 'crashed');

  beforeAll(async () => {
    const configPath = writeConfig({
      watch: false,
      // The first list waits for every plugin's start: were a slow server's start to wait for it, this would be a minute.
      startupWaitMs: 60_000,
      plugins: {
        hello: {},
        silent: nodeServer('silent-server.mjs', { connectTimeoutMs: 600_000 }),
        missing: { plugin: 'mcp-server', config: { command: 'definitely-not-a-command-mcp-host' } },
        dies: { plugin: 'mcp-server', config: { command: process.execPath, args: ['-e', "console.error('boom: no config'); process.exit(2)"], reconnectMinMs: 60_000 } },
        kitchen: nodeServer('kitchen-stdio.mjs', { env: { KITCHEN_MARKER: marker }, reconnectMinMs: 50, reconnectMaxMs: 200, stderrLinesPerMinute: 5, stderrMaxLineChars: 100 }),
      },
    });
    host = await spawnHost({ configPath });
  });
  afterAll(async () => {
    await host?.close();
    rmSync(marker, { force: true });
  });

  it('answers the first tools/list with the other instances\' tools while one server hangs in initialize', async () => {
    const names = (await host.client.listTools()).tools.map((t) => t.name);
    expect(names).toContain('hello__greet');
    expect(names.some((n) => n.startsWith('silent__'))).toBe(false);
    const status = await hostStatus(host.client);
    expect(status.byId('silent').state).toBe('serving');
    expect(status.byId('hello').state).toBe('serving');
  });

  it('reports a server that cannot start, and one that exits before initialize, with the reason and its stderr', async () => {
    const status = await pollUntil('both failures reported', () => hostStatus(host.client), (s) => s.byId('missing').warnings.length > 0 && s.byId('dies').warnings.length > 0);
    expect(status.byId('missing').warnings[0]).toMatch(/^not connected: cannot start "definitely-not-a-command-mcp-host": not found/);
    expect(status.byId('dies').warnings[0]).toMatch(/^not connected: .* exited with code 2 before answering initialize; last stderr: boom: no config/);
    expect(host.stderr()).toMatch(/\[dies\] stderr: boom: no config/);
  });

  it('fails a call in flight when its server dies, answers later calls with a clear isError, and reconnects', async () => {
    await toolsOnce(host.client, 'kitchen__crash');
    const { pid } = jsonOf<{ pid: number }>(await host.client.callTool({ name: 'kitchen__pid', arguments: {} }));

    const crashed = await host.client.callTool({ name: 'kitchen__crash', arguments: {} });
    expect(crashed.isError).toBe(true);
    expect(textOf(crashed)).toMatch(/^MCP server "kitchen": the connection ended during tool "crash" \(MCP server "kitchen" is not connected: the server exited \(code 3\)/);
    expect(await eventually(() => !processAlive(pid))).toBe(true);

    // The marker keeps the server from starting again: every attempt fails the same way.
    const down = await pollUntil('a failed restart', () => host.client.callTool({ name: 'kitchen__pid', arguments: {} }), (r) => /refusing to start/.test(textOf(r)));
    expect(down.isError).toBe(true);
    expect(textOf(down)).toMatch(/^MCP server "kitchen" is not connected: .* exited with code 1 before answering initialize; last stderr: .*refusing to start/);
    // The tools stay listed meanwhile (they answer the error above instead of vanishing).
    expect((await host.client.listTools()).tools.map((t) => t.name)).toContain('kitchen__pid');

    rmSync(marker);
    const back = await pollUntil('the reconnection', () => host.client.callTool({ name: 'kitchen__pid', arguments: {} }), (r) => !r.isError);
    expect(jsonOf<{ pid: number }>(back).pid).not.toBe(pid);
    expect(existsSync(marker)).toBe(false);
  });

  it('bounds the server\'s stderr in the log: long lines cut, lines per minute capped, the rest counted', async () => {
    await toolsOnce(host.client, 'kitchen__stderr_flood');
    expect(textOf(await host.client.callTool({ name: 'kitchen__stderr_flood', arguments: { lines: 50, length: 5000 } }))).toBe('flooded');
    await host.close();
    const lines = host.stderr().split('\n').filter((l) => l.includes('[kitchen] stderr: flood'));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.length).toBeLessThanOrEqual(5);
    for (const line of lines) expect(line).toMatch(/stderr: flood \d+ x{80,100} …\(cut\)$/);
    expect(host.stderr()).toMatch(/\[kitchen\] stderr: \d+ more line\(s\) dropped \(over stderrLinesPerMinute\)/);
  });
});
