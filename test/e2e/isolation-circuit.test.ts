import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePluginsDir, hostStatus } from '../helpers/host-status.js';
import { firstText } from '../helpers/iso-probe.js';
import { pollUntil } from '../helpers/reload-wait.js';
import { spawnHost, writeConfig, type HostUnderTest } from '../helpers/spawn-host.js';

/** A plugin that crashes soon after every start: restarts with backoff, then an open circuit, then a half-open retry. */
describe('isolation: crash loop and circuit breaker', () => {
  let host: HostUnderTest;
  let flag: string;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-host-crashloop-'));
    flag = join(dir, 'crash');
    writeFileSync(flag, 'crash while this file exists');
    const configPath = writeConfig({
      pluginDirs: [fixturePluginsDir],
      plugins: {
        loop: { plugin: 'iso-crashloop', config: { flag }, isolation: { mode: 'worker', maxCrashes: 3, crashWindowMs: 60_000, cooldownMs: 1500 } },
        hello: {},
      },
    });
    host = await spawnHost({ configPath });
    await host.client.listTools();
  });
  afterAll(() => host?.close());

  const status = async (id: string) => (await hostStatus(host.client)).byId(id);

  it('opens the circuit after repeated crashes: state "crashed" with the reason, tools answer a clear error, other instances serve', async () => {
    const crashed = await pollUntil('the circuit to open', () => status('loop'), (s) => s.state === 'crashed', 20_000);
    expect(crashed.error).toMatchObject({ code: 'PLUGIN_CRASHED', message: expect.stringMatching(/iso-crashloop crashed \(flag file present\).*circuit open/) });
    expect(crashed.tools).toBe(1); // the tool stays listed: the client sees why it fails instead of a vanished tool
    const ping = await host.client.callTool({ name: 'loop__ping', arguments: {} });
    expect(ping.isError).toBe(true);
    expect(firstText(ping)).toMatch(/instance "loop" \(worker\) is unavailable: it crashed repeatedly .*next retry in \d+ s/);
    expect(firstText(await host.client.callTool({ name: 'hello__greet', arguments: { name: 'still here' } }))).toBe('Hello, still here!');
    expect(host.stderr()).toMatch(/restarting in 200 ms/);
    expect(host.stderr()).toMatch(/restarting in 400 ms/);
  });

  it('a half-open retry that crashes again re-opens the circuit for twice as long', async () => {
    await pollUntil('the half-open retry to crash', async () => host.stderr(), (text) => text.includes('circuit open for 3000 ms'), 20_000);
    expect((await status('loop')).state).toBe('crashed');
  });

  it('closes the circuit once a half-open retry survives: the instance serves again', async () => {
    rmSync(flag);
    const serving = await pollUntil('the instance to serve again', () => status('loop'), (s) => s.state === 'serving', 20_000);
    expect(serving.error).toBeUndefined();
    const ping = await host.client.callTool({ name: 'loop__ping', arguments: {} });
    expect(ping.isError).toBeFalsy();
    expect(firstText(ping)).toMatch(/^pong from \d+$/);
  });
});
