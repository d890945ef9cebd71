// Issue 5, "Tools" and "Safety": tools above the configured profile are not registered at all (and the
// client cannot change the profile), every tool carries all four annotations, and hostile arguments get
// a clear isError while the daemon keeps serving.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDockerEngine } from '../../helpers/docker-engine.js';
import { call, dockerConfig } from '../../helpers/docker-fixture.js';
import { hostStatus } from '../../helpers/host-status.js';
import { spawnHost, type HostUnderTest } from '../../helpers/spawn-host.js';

const engine = await findDockerEngine();

const READ = ['container_logs', 'container_stats', 'events', 'inspect_container', 'inspect_image', 'list_containers', 'list_images', 'list_networks', 'list_volumes', 'system_info'];
const OPERATE = ['kill_container', 'pause_container', 'restart_container', 'start_container', 'stop_container', 'unpause_container'];
const ADMIN = ['create_container', 'exec', 'pull_image', 'remove_container', 'remove_image', 'run_container'];

describe.skipIf(!engine)('docker plugin: profiles, annotations, hostile input', () => {
  const e = engine!;
  const read = e.instanceName('dr');
  const operate = e.instanceName('dop');
  const admin = e.instanceName('dad');
  const plain = e.instanceName('dpl');
  const both = e.instanceName('dbo');
  let host: HostUnderTest;
  let tools: { name: string; annotations?: Record<string, unknown> }[];

  const of = (instance: string) =>
    tools
      .filter((t) => t.name.startsWith(`${instance}__`))
      .map((t) => t.name.slice(instance.length + 2))
      .sort();

  beforeAll(async () => {
    const socketPath = e.socketPath;
    host = await spawnHost({
      configPath: dockerConfig({
        [read]: { socketPath, profile: 'read' },
        [operate]: { socketPath, profile: 'operate' },
        [admin]: { socketPath, profile: 'admin' },
        [plain]: { socketPath },
        [both]: { socketPath, host: '127.0.0.1' },
      }),
    });
    tools = (await host.client.listTools()).tools;
  });
  afterAll(async () => {
    await host?.close();
    await e.cleanup();
  });

  it('registers only the tools of the configured profile', () => {
    expect(of(read)).toEqual(READ);
    expect(of(operate)).toEqual([...READ, ...OPERATE].sort());
    expect(of(admin)).toEqual([...READ, ...OPERATE, ...ADMIN].sort());
  });

  it('uses the read profile when none is configured', () => {
    expect(of(plain)).toEqual(READ);
  });

  it('gives the client no way to raise the profile', async () => {
    await expect(host.client.callTool({ name: `${read}__run_container`, arguments: { image: 'x' } })).rejects.toThrow(/Unknown tool/);
    const sneaky = await call(host.client, `${read}__list_containers`, { profile: 'admin' });
    expect(sneaky.isError).toBe(true);
    expect(sneaky.text).toMatch(/profile: unknown key/);
    expect(of(read)).toEqual(READ);
  });

  it('annotates every tool with all four hints', () => {
    const mine = tools.filter((t) => t.name.startsWith(`${admin}__`));
    expect(mine).toHaveLength(READ.length + OPERATE.length + ADMIN.length);
    for (const tool of mine) {
      for (const hint of ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint']) {
        expect(typeof tool.annotations?.[hint], `${tool.name}.${hint}`).toBe('boolean');
      }
    }
    const hints = (name: string) => tools.find((t) => t.name === `${admin}__${name}`)!.annotations;
    for (const name of READ) expect(hints(name)).toMatchObject({ readOnlyHint: true, destructiveHint: false, openWorldHint: false });
    for (const name of ['kill_container', 'exec', 'remove_container', 'remove_image', 'pull_image']) expect(hints(name)).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    for (const name of ['start_container', 'stop_container', 'pause_container', 'unpause_container', 'create_container', 'run_container', 'restart_container']) {
      expect(hints(name)).toMatchObject({ readOnlyHint: false, destructiveHint: false });
    }
    expect(hints('pull_image')).toMatchObject({ openWorldHint: true });
    expect(hints('restart_container')).toMatchObject({ idempotentHint: false });
  });

  it('marks an instance with contradictory connection settings failed, with the reason, and serves the rest', async () => {
    const status = await hostStatus(host.client);
    expect(status.byId(both).state).toBe('failed');
    expect(status.byId(both).error?.message).toMatch(/set socketPath or host, not both/);
    expect(status.byId(read).state).toBe('serving');
  });

  it('answers hostile arguments with a clear isError and keeps serving', async () => {
    const hostile: [string, Record<string, unknown>, RegExp][] = [
      ['inspect_container', { id: '../../images/json' }, /id: must match pattern/],
      ['inspect_container', { id: 'a/b' }, /id: must match pattern/],
      ['inspect_container', { id: 'x?all=1' }, /id: must match pattern/],
      ['inspect_container', { id: '' }, /id: must NOT have fewer than 1 characters/],
      ['inspect_container', { id: 'a'.repeat(300) }, /id: must NOT have more than 254 characters/],
      ['inspect_container', { id: 42 }, /id: must be string/],
      ['inspect_container', {}, /id: required/],
      ['inspect_image', { id: 'busybox/../../x' }, /id: must match pattern/],
      ['container_logs', { id: 'x', tail: -1 }, /tail/],
      ['container_logs', { id: 'x', since: 'the day before yesterday' }, /since: "the day before yesterday" is not a time/],
      ['list_containers', { filters: { status: 'running' } }, /filters\.status: must be array/],
      ['list_containers', { filters: { 'bad key!': ['x'] } }, /invalid name/],
      ['list_containers', { filters: { status: ['no-such-status'] } }, /Docker Engine error \(HTTP 400\)|invalid/i],
      ['events', { since: 'soon' }, /since: "soon" is not a time/],
      ['events', { limit: 1e9 }, /limit: must be <= 2000/],
      ['stop_container', { id: 'x', timeoutS: 'ten' }, /timeoutS: must be integer/],
      ['kill_container', { id: 'x', signal: 'KILL; rm -rf /' }, /signal: must match pattern/],
      ['exec', { id: 'x', cmd: [] }, /cmd: must NOT have fewer than 1 items/],
      ['exec', { id: 'x', cmd: 'ls' }, /cmd: must be array/],
      ['run_container', { image: 'UPPER/Case' }, /image: must match pattern/],
      ['run_container', { image: e.name('none') }, /image: must match pattern|No such image/],
      ['pull_image', { ref: 'busybox; curl evil' }, /ref: must match pattern/],
    ];
    for (const [tool, args, message] of hostile) {
      const instance = OPERATE.includes(tool) || ADMIN.includes(tool) ? admin : read;
      const result = await call(host.client, `${instance}__${tool}`, args);
      expect(result.isError, `${tool} ${JSON.stringify(args)}: ${result.text}`).toBe(true);
      expect(result.text, `${tool} ${JSON.stringify(args)}`).toMatch(message);
    }
    const missing = await call(host.client, `${read}__inspect_container`, { id: e.name('missing') });
    expect(missing).toMatchObject({ isError: true });
    expect(missing.text).toMatch(/^not found: No such container: mcp-test-missing-/);
    const still = await call(host.client, `${read}__system_info`);
    expect(still.isError).toBe(false);
    expect(host.badStdout).toEqual([]);
  });
});
