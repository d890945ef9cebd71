import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { fixturePluginsDir } from '../helpers/host-status.js';
import { nodeBinaries } from '../helpers/node-binaries.js';
import { processAlive } from '../helpers/process-alive.js';
import { writeConfig } from '../helpers/spawn-host.js';
import { connectHttp, spawnHttpHost } from '../helpers/spawn-http-host.js';

describe.each(nodeBinaries())('serve --http: graceful shutdown ($label)', ({ path: node }) => {
  test.each(['SIGTERM', 'SIGINT'] as const)('%s closes open sessions, stops plugins and exits 0 within 5 s', async (signal) => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-host-http-stop-'));
    const stopLog = join(dir, 'stops.log');
    const configPath = writeConfig({ pluginDirs: [fixturePluginsDir], plugins: { rec: { plugin: 'life-stop-recorder', config: { stopLog } } } }, dir);
    const host = await spawnHttpHost({ configPath, node });
    const { client } = await connectHttp(host.url);
    expect((await client.callTool({ name: 'rec__alive', arguments: {} })).content).toEqual([{ type: 'text', text: 'rec alive' }]);
    const sessionClosed = new Promise<void>((resolve) => (client.onclose = resolve));
    // A second session with a call in flight keeps its SSE response open while the signal arrives.
    const second = await connectHttp(host.url);
    await second.client.listTools();

    const started = Date.now();
    host.proc.kill(signal);
    const code = await host.exited;
    const took = Date.now() - started;
    expect(code).toBe(0);
    expect(took).toBeLessThan(5000);
    expect(processAlive(host.proc.pid!)).toBe(false);
    expect(host.stderr()).toContain(`shutting down (${signal})`);
    expect(existsSync(stopLog)).toBe(true);
    expect(readFileSync(stopLog, 'utf8').trim().split('\n')).toEqual(['rec']);
    // The port is closed: nothing answers any more.
    await expect(fetch(`${host.base}/healthz`)).rejects.toThrow();
    await client.close();
    await second.client.close();
    await sessionClosed;
  });
});
