// Issue 5, the read profile: list_containers (filters, all, managed flag), inspect_container and
// inspect_image with secret-looking values redacted (env vars named like PASSWORD/TOKEN/SECRET/KEY,
// credentials in URLs and flags, registry auth), container_stats as computed figures, images, networks,
// volumes, system_info and events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDockerEngine, SUITE_LABEL, TEST_IMAGE } from '../../helpers/docker-engine.js';
import { call, dockerConfig } from '../../helpers/docker-fixture.js';
import { spawnHost, type HostUnderTest } from '../../helpers/spawn-host.js';

const engine = await findDockerEngine();
const SECRETS = ['hunter2-db', 'tok-123-abc', 'url-pass-77', 'flag-secret-9', 'auth-blob-xyz', 'img-secret-42', 'vol-secret-5'];

describe.skipIf(!engine)('docker plugin: read tools', () => {
  const e = engine!;
  const ns = e.instanceName('drt');
  let host: HostUnderTest;
  let secretive: { id: string; name: string };
  let busy: { id: string; name: string };
  let stopped: { id: string; name: string };
  const imageTag = `mcp-host-test/busybox:secret-${e.suite}`;
  const volume = `mcp-test-vol-${e.suite}`;

  const tool = (name: string, args: Record<string, unknown> = {}) => call(host.client, `${ns}__${name}`, args);
  const noSecrets = (text: string) => {
    for (const secret of SECRETS) expect(text, secret).not.toContain(secret);
  };

  beforeAll(async () => {
    [secretive, busy, stopped] = await Promise.all([
      e.run({
        cmd: ['sleep', '300', '--password', 'flag-secret-9'],
        env: ['DB_PASSWORD=hunter2-db', 'API_TOKEN=tok-123-abc', 'DATABASE_URL=postgres://app:url-pass-77@db:5432/app', 'DOCKER_AUTH_CONFIG={"auths":{"r":{"auth":"auth-blob-xyz"}}}', 'PLAIN_SETTING=visible-value'],
        labels: { 'com.example.api-key': 'tok-123-abc', 'com.example.team': 'blue' },
        start: false,
      }),
      e.run({ cmd: ['sh', '-c', 'while :; do :; done'] }),
      e.run({ cmd: ['true'] }),
    ]);
    await e.docker.getContainer(secretive.id).commit({ repo: imageTag.split(':')[0], tag: imageTag.split(':')[1], changes: ['ENV SERVICE_SECRET=img-secret-42', `LABEL ${SUITE_LABEL}=${e.suite}`] });
    await e.docker.createVolume({ Name: volume, Driver: 'local', DriverOpts: { type: 'tmpfs', device: 'tmpfs', o: 'size=1m' }, Labels: { [SUITE_LABEL]: e.suite, 'secret.token': 'vol-secret-5' } });
    await e.waitExit(stopped.id);
    host = await spawnHost({ configPath: dockerConfig({ [ns]: { socketPath: e.socketPath } }) });
  });
  afterAll(async () => {
    await host?.close();
    await e.cleanup();
    await e.docker.getImage(imageTag).remove().catch(() => {});
    await e.docker.getVolume(volume).remove().catch(() => {});
  });

  it('lists running containers, all with all: true, narrowed by filters', async () => {
    const mine = { label: [`${SUITE_LABEL}=${e.suite}`] };
    const running = await tool('list_containers', { filters: mine });
    expect(running.isError, running.text).toBe(false);
    expect(running.structured.containers.map((c: { name: string }) => c.name)).toEqual([busy.name]);
    expect(running.structured.containers[0]).toMatchObject({ id: busy.id.slice(0, 12), image: TEST_IMAGE, state: 'running', managed: false, command: "sh -c 'while :; do :; done'" });
    expect(running.text).toMatch(new RegExp(`^ID\\tNAME\\tIMAGE\\tSTATE\\tSTATUS\\tPORTS\\tMANAGED\\n${busy.id.slice(0, 12)}\\t${busy.name}\\t${TEST_IMAGE.replace(/[/.]/g, '\\$&')}\\trunning\\tUp [^\\t]+\\t-\\tno\\n\\(1 container, running only`));
    const all = await tool('list_containers', { all: true, filters: mine });
    expect(all.structured.containers.map((c: { name: string }) => c.name).sort()).toEqual([busy.name, secretive.name, stopped.name].sort());
    const exited = await tool('list_containers', { all: true, filters: { ...mine, status: ['exited'] } });
    expect(exited.structured.containers.map((c: { name: string }) => c.name)).toEqual([stopped.name]);
    noSecrets(all.text + JSON.stringify(all.structured));
  });

  it('inspects a container with secret-looking values redacted and the rest intact', async () => {
    const result = await tool('inspect_container', { id: secretive.name });
    expect(result.isError, result.text).toBe(false);
    const config = result.structured.container.Config;
    expect(config.Env).toEqual(
      expect.arrayContaining([
        'DB_PASSWORD=[redacted]',
        'API_TOKEN=[redacted]',
        'DATABASE_URL=postgres://app:[redacted]@db:5432/app',
        'DOCKER_AUTH_CONFIG=[redacted]',
        'PLAIN_SETTING=visible-value',
      ]),
    );
    expect(config.Cmd).toEqual(['sleep', '300', '--password', '[redacted]']);
    expect(config.Labels).toMatchObject({ 'com.example.api-key': '[redacted]', 'com.example.team': 'blue' });
    expect(result.structured.container.Name).toBe(`/${secretive.name}`);
    expect(result.text).toContain('"PLAIN_SETTING=visible-value"');
    noSecrets(result.text + JSON.stringify(result.structured));
  });

  it('inspects an image with secret-looking values redacted', async () => {
    const result = await tool('inspect_image', { id: imageTag });
    expect(result.isError, result.text).toBe(false);
    expect(result.structured.image.RepoTags).toContain(imageTag);
    expect(result.structured.image.Config.Env).toEqual(expect.arrayContaining(['SERVICE_SECRET=[redacted]', 'DB_PASSWORD=[redacted]']));
    noSecrets(result.text + JSON.stringify(result.structured));
    const missing = await tool('inspect_image', { id: 'mcp-host-test/none:404' });
    expect(missing.text).toMatch(/^not found: no such image: mcp-host-test\/none:404/i);
  });

  it('computes container stats instead of returning the raw blob', async () => {
    const result = await tool('container_stats', { id: busy.name });
    expect(result.isError, result.text).toBe(false);
    const s = result.structured;
    expect(Object.keys(s).sort()).toEqual(['blockIo', 'cpuPercent', 'id', 'memory', 'name', 'network', 'onlineCpus', 'pids', 'read', 'running'].sort());
    expect(s.cpuPercent).toBeGreaterThan(0);
    expect(s.memory.limitBytes).toBe(128 * 1024 * 1024);
    expect(s.memory.usedBytes).toBeGreaterThan(0);
    expect(s.memory.percent).toBeCloseTo((s.memory.usedBytes / s.memory.limitBytes) * 100, 1);
    expect(s.pids).toEqual({ current: expect.any(Number), limit: 64 });
    expect(result.text).toMatch(new RegExp(`^${busy.name} \\(\\w{12}\\)\\nCPU [\\d.]+% \\(of \\d+ CPUs? = \\d+%\\)\\nmemory [\\d.]+ [KMG]?B / 128\\.0 MB \\([\\d.]+%\\)\\nnetwork rx .+\\nblock I/O read .+\\nPIDs \\d+ / 64$`));
    const idle = await tool('container_stats', { id: stopped.id });
    expect(idle.text).toBe(`${stopped.name} (${stopped.id.slice(0, 12)}) is not running: no live figures.`);
  });

  it('lists images, networks and volumes (volume labels redacted)', async () => {
    const images = await tool('list_images', { filters: { reference: ['mcp-host-test/busybox'] } });
    expect(images.structured.images.flatMap((i: { tags: string[] }) => i.tags)).toEqual(expect.arrayContaining([TEST_IMAGE, imageTag]));
    const networks = await tool('list_networks');
    expect(networks.structured.networks.map((n: { name: string }) => n.name)).toEqual(expect.arrayContaining(['bridge', 'host', 'none']));
    const volumes = await tool('list_volumes');
    const mine = volumes.structured.volumes.find((v: { name: string }) => v.name === volume);
    expect(mine).toMatchObject({ driver: 'local', labels: { 'secret.token': '[redacted]' }, options: { type: 'tmpfs', o: 'size=1m' } });
    noSecrets(volumes.text + JSON.stringify(volumes.structured));
  });

  it('describes the Engine', async () => {
    const info = await tool('system_info');
    const version = await e.docker.version();
    expect(info.structured).toMatchObject({ serverVersion: version.Version, apiVersion: version.ApiVersion, engine: `unix://${e.socketPath}` });
    expect(info.text).toMatch(new RegExp(`^Docker Engine ${version.Version.replace(/[.+]/g, '\\$&')} \\(API ${version.ApiVersion}\\) at unix://`));
  });

  it('reads the events of a time window, narrowed by filters', async () => {
    const result = await tool('events', { since: '10m', filters: { container: [stopped.id] } });
    expect(result.isError, result.text).toBe(false);
    const actions = result.structured.events.map((ev: { action: string }) => ev.action);
    expect(actions).toEqual(expect.arrayContaining(['create', 'start', 'die']));
    expect(result.structured.events.find((ev: { action: string }) => ev.action === 'die')).toMatchObject({ type: 'container', name: stopped.name, image: TEST_IMAGE, exitCode: '0' });
    const limited = await tool('events', { since: '10m', filters: { container: [stopped.id] }, limit: 1 });
    expect(limited.structured).toMatchObject({ truncated: true, events: [expect.objectContaining({ action: 'create' })] });
    expect(limited.text).toContain('truncated: more than 1 events');
    const backwards = await tool('events', { since: '1m', until: '2h' });
    expect(backwards.isError).toBe(true);
  });
});
