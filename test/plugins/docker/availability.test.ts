// Issue 5: "An Engine that is down or absent: the plugin still loads, tools return a clear error, and it
// recovers when the Engine appears." The instance points at a socket path where no Engine is; later a
// proxy socket forwarding to the real Engine appears there (and goes away again), without any reload.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDockerEngine, SUITE_LABEL } from '../../helpers/docker-engine.js';
import { call, dockerConfig, startSocketProxy, type SocketProxy } from '../../helpers/docker-fixture.js';
import { hostStatus } from '../../helpers/host-status.js';
import { spawnHost, type HostUnderTest } from '../../helpers/spawn-host.js';

const engine = await findDockerEngine();

describe.skipIf(!engine)('docker plugin: Engine down and up', () => {
  const e = engine!;
  const ns = e.instanceName('dav');
  const dir = mkdtempSync(join(tmpdir(), 'mcp-host-engine-'));
  const socket = join(dir, 'docker.sock');
  let host: HostUnderTest;
  let proxy: SocketProxy | undefined;
  let marker: { id: string; name: string };

  beforeAll(async () => {
    marker = await e.run({ cmd: ['sleep', '300'] });
    host = await spawnHost({ configPath: dockerConfig({ [ns]: { socketPath: socket, profile: 'operate', apiTimeoutMs: 3000 } }) });
  });
  afterAll(async () => {
    await host?.close();
    await proxy?.close();
    await e.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads and lists every tool while no Engine is there', async () => {
    const status = await hostStatus(host.client);
    expect(status.byId(ns)).toMatchObject({ state: 'serving', tools: 16 });
    const { tools } = await host.client.listTools();
    expect(tools.filter((t) => t.name.startsWith(`${ns}__`))).toHaveLength(16);
  });

  it('answers every tool with a clear error naming the socket', async () => {
    for (const [tool, args] of [
      ['list_containers', {}],
      ['system_info', {}],
      ['container_logs', { id: marker.name }],
      ['stop_container', { id: marker.name }],
      ['events', {}],
    ] as const) {
      const result = await call(host.client, `${ns}__${tool}`, args);
      expect(result.isError, tool).toBe(true);
      expect(result.text).toBe(`Docker Engine not reachable at unix://${socket}: ENOENT (no socket there: is the Docker Engine (dockerd) running?)`);
    }
    const completion = await host.client.complete({ ref: { type: 'ref/prompt', name: `${ns}__diagnose_container` }, argument: { name: 'id', value: 'mcp' } });
    expect(completion.completion.values).toEqual([]);
  });

  it('recovers without a reload when the Engine appears, and says so again when it goes', async () => {
    proxy = await startSocketProxy(socket, e.socketPath);
    const listed = await call(host.client, `${ns}__list_containers`, { filters: { label: [`${SUITE_LABEL}=${e.suite}`] } });
    expect(listed.isError, listed.text).toBe(false);
    expect(listed.structured.containers.map((c: { name: string }) => c.name)).toEqual([marker.name]);

    await proxy.close();
    proxy = undefined;
    const gone = await call(host.client, `${ns}__system_info`);
    expect(gone.isError).toBe(true);
    expect(gone.text).toMatch(new RegExp(`^Docker Engine not reachable at unix://${socket}: (ENOENT|ECONNREFUSED|ECONNRESET)`));

    proxy = await startSocketProxy(socket, e.socketPath);
    const back = await call(host.client, `${ns}__system_info`);
    expect(back.isError, back.text).toBe(false);
    const status = await hostStatus(host.client);
    expect(status.byId(ns).state).toBe('serving');
  });

  it('says when the Engine does not answer in time', async () => {
    await proxy?.close();
    // Something listens at the path but never answers: the call is bounded by apiTimeoutMs.
    const { createServer } = await import('node:net');
    const held = new Set<import('node:net').Socket>();
    const silent = createServer((socket) => void held.add(socket));
    await new Promise<void>((resolve) => silent.listen(socket, resolve));
    try {
      const result = await call(host.client, `${ns}__system_info`);
      expect(result).toMatchObject({ isError: true, text: `Docker Engine at unix://${socket} did not answer within 3000 ms` });
    } finally {
      for (const s of held) s.destroy();
      await new Promise((resolve) => silent.close(resolve));
      proxy = undefined;
    }
  });
});
