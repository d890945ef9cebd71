// Issue 5, "Container-spec policy": checked on create/run before any Engine call, one refusal per
// dangerous field (each test checks on the Engine afterwards that no container was created), and what
// every created container gets: ports on 127.0.0.1, memory/CPU/PID limits, no-new-privileges, the
// instance's labels. Binds inside allowedBindRoots work.
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDockerEngine, SUITE_LABEL, TEST_IMAGE } from '../../helpers/docker-engine.js';
import { call, dockerConfig } from '../../helpers/docker-fixture.js';
import { spawnHost, type HostUnderTest } from '../../helpers/spawn-host.js';

const engine = await findDockerEngine();

describe.skipIf(!engine)('docker plugin: container-spec policy', () => {
  const e = engine!;
  const admin = e.instanceName('dpa');
  const rooted = e.instanceName('dpr');
  const images = e.instanceName('dpi');
  const offline = e.instanceName('dpo');
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'mcp-host-binds-')));
  const outside = realpathSync(mkdtempSync(join(tmpdir(), 'mcp-host-outside-')));
  const volumes: string[] = [];
  let host: HostUnderTest;

  beforeAll(async () => {
    symlinkSync(e.socketPath, join(root, 'innocent-link'));
    const socketPath = e.socketPath;
    host = await spawnHost({
      configPath: dockerConfig({
        [admin]: { socketPath, profile: 'admin', allowedBindRoots: [root] },
        [rooted]: { socketPath, profile: 'admin', allowedBindRoots: ['/'] },
        [images]: { socketPath, profile: 'admin', allowedImages: ['mcp-host-test/*'] },
        [offline]: { socketPath: join(outside, 'no-engine.sock'), profile: 'admin' },
      }),
    });
  });
  afterAll(async () => {
    await host?.close();
    await e.cleanup();
    for (const name of volumes) await e.docker.getVolume(name).remove().catch(() => {});
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  /** create_container with a unique name: refused with `message`, and no container of that name or of the instance exists. */
  async function refused(args: Record<string, unknown>, message: RegExp, instance = admin): Promise<string> {
    const name = e.name('refused');
    const before = (await e.withLabel(`io.mcp-host.instance=${instance}`)).length;
    const result = await call(host.client, `${instance}__create_container`, { image: TEST_IMAGE, name, cmd: ['true'], labels: { [SUITE_LABEL]: e.suite }, ...args });
    expect(result.isError, result.text).toBe(true);
    expect(result.text).toMatch(/^refused by the container policy: /);
    expect(result.text).toMatch(message);
    expect(await e.find(name)).toBeUndefined();
    expect(await e.withLabel(`io.mcp-host.instance=${instance}`)).toHaveLength(before);
    return result.text;
  }

  const hc = (hostConfig: Record<string, unknown>) => ({ hostConfig });

  it('refuses privileged mode', () => refused(hc({ Privileged: true }), /HostConfig\.Privileged: privileged mode/));
  it('refuses added capabilities', () => refused(hc({ CapAdd: ['SYS_ADMIN'] }), /HostConfig\.CapAdd: adding capabilities is not allowed/));
  it('refuses the host network namespace', () => refused(hc({ NetworkMode: 'host' }), /HostConfig\.NetworkMode: the host network namespace/));
  it('refuses the host network through the network argument too', () => refused({ network: 'host' }, /HostConfig\.NetworkMode: the host network namespace/));
  it('refuses the host pid namespace', () => refused(hc({ PidMode: 'host' }), /HostConfig\.PidMode: the host pid namespace/));
  it('refuses the host ipc namespace', () => refused(hc({ IpcMode: 'host' }), /HostConfig\.IpcMode: the host ipc namespace/));
  it('refuses the host uts namespace', () => refused(hc({ UTSMode: 'host' }), /HostConfig\.UTSMode: the host uts namespace/));
  it('refuses the host user namespace', () => refused(hc({ UsernsMode: 'host' }), /HostConfig\.UsernsMode: the host user namespace/));
  it('refuses the host cgroup namespace', () => refused(hc({ CgroupnsMode: 'host' }), /HostConfig\.CgroupnsMode: the host cgroup namespace/));
  it("refuses joining another container's pid namespace", () => refused(hc({ PidMode: 'container:abc' }), /joining another container's pid namespace/));
  it('refuses host devices', () =>
    refused(hc({ Devices: [{ PathOnHost: '/dev/sda', PathInContainer: '/dev/sda', CgroupPermissions: 'rwm' }] }), /HostConfig\.Devices: host devices are not allowed/));
  it('refuses seccomp=unconfined', () => refused(hc({ SecurityOpt: ['seccomp=unconfined'] }), /"seccomp=unconfined" removes a confinement layer/));
  it('refuses apparmor=unconfined', () => refused(hc({ SecurityOpt: ['apparmor:unconfined'] }), /"apparmor:unconfined" removes a confinement layer/));
  it('refuses turning no-new-privileges off', () => refused(hc({ SecurityOpt: ['no-new-privileges=false'] }), /no-new-privileges is always on/));

  it('refuses docker.sock through Binds', () => refused(hc({ Binds: ['/var/run/docker.sock:/var/run/docker.sock'] }), /mounting the Docker Engine socket \(\/var\/run\/docker\.sock\)/));
  it('refuses docker.sock through Mounts', () =>
    refused(hc({ Mounts: [{ Type: 'bind', Source: '/run/docker.sock', Target: '/engine' }] }), /HostConfig\.Mounts\[0\]: mounting the Docker Engine socket/));
  it('refuses docker.sock through the mounts argument, even inside allowedBindRoots by a symlink', () =>
    refused({ mounts: [{ type: 'bind', source: join(root, 'innocent-link'), target: '/x' }] }, /leads to the Docker Engine socket/));
  it('refuses docker.sock through volume driver options', () =>
    refused(
      { mounts: [{ type: 'volume', source: e.name('sockvol'), target: '/x', driver: 'local', driverOptions: { type: 'none', o: 'bind', device: '/var/run/docker.sock' } }] },
      /bind via driver options\): mounting the Docker Engine socket/,
    ));
  it('refuses mounting anything at the socket path inside the container', () =>
    refused({ mounts: [{ type: 'tmpfs', target: '/var/run/docker.sock' }] }, /mounting anything at the Docker Engine socket path/));

  it('refuses binds outside allowedBindRoots', () => refused(hc({ Binds: [`${outside}:/data`] }), new RegExp(`${outside} is outside allowedBindRoots \\(${root}\\)`)));
  it('refuses binds that climb out of allowedBindRoots with ..', () =>
    refused({ mounts: [{ type: 'bind', source: `${root}/../${outside.split('/').pop()}`, target: '/data' }] }, /is outside allowedBindRoots/));
  it('refuses bind-type volume driver options outside allowedBindRoots', () =>
    refused({ mounts: [{ type: 'volume', source: e.name('bindvol'), target: '/x', driverOptions: { type: 'none', o: 'bind', device: outside } }] }, /is outside allowedBindRoots/));
  it('refuses volume driver options that mount a device', () =>
    refused({ mounts: [{ type: 'volume', source: e.name('devvol'), target: '/x', driverOptions: { type: 'ext4', device: '/dev/sda1' } }] }, /mount a device or a network share/));
  it('refuses every bind while allowedBindRoots is empty', () =>
    refused(hc({ Binds: [`${root}:/data`] }), /bind mounts are not allowed \(allowedBindRoots is empty\)/, images));

  it('refuses sensitive host paths even when allowedBindRoots is /', async () => {
    await refused(hc({ Binds: ['/etc:/host-etc:ro'] }), /\/etc is a sensitive host path/, rooted);
    await refused(hc({ Binds: ['/:/host'] }), /\/ contains the sensitive host path/, rooted);
    await refused({ mounts: [{ type: 'bind', source: '/var', target: '/v' }] }, /\/var contains the sensitive host path/, rooted);
    await refused({ mounts: [{ type: 'bind', source: '/proc/1/root', target: '/p' }] }, /sensitive host path \(\/proc\)/, rooted);
  });

  it('refuses VolumesFrom', () => refused(hc({ VolumesFrom: ['some-other-container'] }), /HostConfig\.VolumesFrom: mounting another container's volumes/));
  it('refuses publishing every port on all interfaces', () => refused(hc({ PublishAllPorts: true }), /HostConfig\.PublishAllPorts/));
  it('refuses ports bound to another address', async () => {
    await refused({ ports: [{ container: 80, hostIp: '0.0.0.0' }] }, /ports\[0\]\.hostIp: published ports bind to 127\.0\.0\.1/);
    await refused(hc({ PortBindings: { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '8080' }] } }), /published ports bind to 127\.0\.0\.1/);
  });
  it('refuses links, unknown HostConfig keys, reserved labels and limits above the maximum', async () => {
    await refused(hc({ Links: ['db:db'] }), /HostConfig\.Links: links expose another container's environment/);
    await refused(hc({ SomeNewEngineOption: true }), /HostConfig\.SomeNewEngineOption: not allowed by the container policy/);
    await refused(hc({ Memory: 1 }), /set memory, CPU and PID limits through the limits argument/);
    await refused({ labels: { 'io.mcp-host.instance': 'someone-else' } }, /"io\.mcp-host\.instance" is reserved/);
    await refused({ limits: { memoryMb: 999999 } }, /limits\.memoryMb: 999999 is above maxLimits\.memoryMb \(4096\)/);
  });
  it('lists every problem of a spec at once', async () => {
    const text = await refused(hc({ Privileged: true, CapAdd: ['ALL'], PidMode: 'host' }), /Privileged/);
    expect(text).toMatch(/CapAdd/);
    expect(text).toMatch(/PidMode/);
  });
  it('refuses images outside allowedImages', () => refused({ image: 'busybox:latest' }, /image "busybox:latest" is not in allowedImages \(mcp-host-test\/\*\)/, images));

  it('checks the policy before any Engine call (an instance whose Engine is absent still says why)', async () => {
    const result = await call(host.client, `${offline}__run_container`, { image: TEST_IMAGE, hostConfig: { Privileged: true } });
    expect(result).toMatchObject({ isError: true });
    expect(result.text).toMatch(/^refused by the container policy: HostConfig\.Privileged/);
    const allowed = await call(host.client, `${offline}__run_container`, { image: TEST_IMAGE });
    expect(allowed.text).toMatch(/Docker Engine not reachable at unix:\/\/.*no-engine\.sock: ENOENT/);
  });

  it('refuses an existing named volume that was made as a bind of a sensitive path', async () => {
    const name = e.name('etcvol');
    volumes.push(name);
    await e.docker.createVolume({ Name: name, Driver: 'local', DriverOpts: { type: 'none', o: 'bind', device: '/etc' }, Labels: { [SUITE_LABEL]: e.suite } });
    await refused({ mounts: [{ type: 'volume', source: name, target: '/x' }] }, /volume ".*" \(bind via driver options\): \/etc is a sensitive host path/);
    await refused(hc({ Binds: [`${name}:/x`] }), /\/etc is a sensitive host path/);
  });

  it('runs an allowed spec with ports on 127.0.0.1, default limits, no-new-privileges, labels, and a working bind', async () => {
    const name = e.name('allowed');
    const result = await call(host.client, `${admin}__run_container`, {
      image: TEST_IMAGE,
      name,
      cmd: ['sh', '-c', 'echo written-inside > /data/out.txt; sleep 300'],
      ports: [{ container: 8080 }],
      mounts: [{ type: 'bind', source: root, target: '/data' }, { type: 'tmpfs', target: '/scratch' }],
      labels: { [SUITE_LABEL]: e.suite },
      hostConfig: { Init: true, CapDrop: ['NET_RAW'], SecurityOpt: ['no-new-privileges'] },
    });
    expect(result.isError, result.text).toBe(false);
    expect(result.text).toMatch(/^started mcp-test-allowed-\S+ \(\w{12}\) from mcp-host-test\/busybox:1: running/);
    expect(result.text).toMatch(/ports: 127\.0\.0\.1:\d+->8080\/tcp/);
    const info = (await e.find(name))!;
    expect(info.Config.Labels).toMatchObject({ 'io.mcp-host.managed': 'true', 'io.mcp-host.instance': admin, [SUITE_LABEL]: e.suite });
    expect(info.HostConfig.PortBindings).toEqual({ '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] });
    expect((info.NetworkSettings.Ports['8080/tcp'] ?? []).map((b) => b.HostIp)).toEqual(['127.0.0.1']);
    expect(info.HostConfig).toMatchObject({ Memory: 512 * 1024 * 1024, NanoCpus: 1e9, PidsLimit: 256, Privileged: false, PublishAllPorts: false, CapDrop: ['NET_RAW'] });
    expect(info.HostConfig.SecurityOpt).toEqual(['no-new-privileges:true']);
    for (let i = 0; i < 100 && !existsSync(join(root, 'out.txt')); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(readFileSync(join(root, 'out.txt'), 'utf8')).toBe('written-inside\n');
  });

  it('honours limits asked for within maxLimits', async () => {
    const name = e.name('limits');
    const result = await call(host.client, `${admin}__create_container`, { image: TEST_IMAGE, name, limits: { memoryMb: 64, cpus: 0.5, pids: 32 }, labels: { [SUITE_LABEL]: e.suite } });
    expect(result.isError, result.text).toBe(false);
    expect((await e.find(name))!.HostConfig).toMatchObject({ Memory: 64 * 1024 * 1024, NanoCpus: 5e8, PidsLimit: 32 });
    expect((await e.find(name))!.State.Status).toBe('created');
  });
});
