// Issue 5, "Safety": with managedOnly, operate/admin actions on containers this instance did not create
// are refused (checked on the Engine afterwards: still running, still there); destructive actions (remove,
// kill, exec, pull) ask the user through elicitation when the client supports it (a model-supplied
// confirm does not replace the user's answer), and otherwise need an explicit confirm: true.
import { ElicitRequestSchema, type ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDockerEngine, SUITE_LABEL, TEST_IMAGE } from '../../helpers/docker-engine.js';
import { call, dockerConfig } from '../../helpers/docker-fixture.js';
import { spawnHost, type HostUnderTest } from '../../helpers/spawn-host.js';

const engine = await findDockerEngine();

describe.skipIf(!engine)('docker plugin: managedOnly scoping and confirmation of destructive actions', () => {
  const e = engine!;
  const admin = e.instanceName('dma');
  const operate = e.instanceName('dmo');
  const loose = e.instanceName('dml');
  const asked = e.instanceName('dme');
  let host: HostUnderTest;
  let askingHost: HostUnderTest;
  let unmanaged: { id: string; name: string };
  const elicitations: string[] = [];
  let nextAnswer: ElicitResult = { action: 'decline' };

  const running = async (id: string) => (await e.find(id))?.State.Running === true;
  /** A running container this test's admin instance created (so it is managed by that instance). */
  async function managedContainer(client = host.client, instance = admin): Promise<string> {
    const name = e.name('managed');
    const result = await call(client, `${instance}__run_container`, { image: TEST_IMAGE, name, cmd: ['sleep', '300'], labels: { [SUITE_LABEL]: e.suite } });
    expect(result.isError, result.text).toBe(false);
    return name;
  }

  let other: { id: string; name: string };
  /** Containers the admin instances created up front (in parallel: each container takes the Engine a while). */
  let mine: { foreign: string; ops: string; destructive: string; running: string };
  let asks: { declined: string; accepted: string };

  beforeAll(async () => {
    const socketPath = e.socketPath;
    [unmanaged, other] = await Promise.all([e.run({ cmd: ['sleep', '300'] }), e.run({ cmd: ['sleep', '300'] })]);
    host = await spawnHost({
      configPath: dockerConfig({
        [admin]: { socketPath, profile: 'admin' },
        [operate]: { socketPath, profile: 'operate' },
        [loose]: { socketPath, profile: 'operate', managedOnly: false },
      }),
    });
    askingHost = await spawnHost({
      configPath: dockerConfig({ [asked]: { socketPath, profile: 'admin' } }),
      capabilities: { elicitation: {} },
      setup: (client) =>
        client.setRequestHandler(ElicitRequestSchema, async (request) => {
          elicitations.push(request.params.message);
          return nextAnswer;
        }),
    });
    const [foreign, ops, destructive, runningOne, declined, accepted] = await Promise.all([
      managedContainer(),
      managedContainer(),
      managedContainer(),
      managedContainer(),
      managedContainer(askingHost.client, asked),
      managedContainer(askingHost.client, asked),
    ]);
    mine = { foreign, ops, destructive, running: runningOne };
    asks = { declined, accepted };
  });
  afterAll(async () => {
    await host?.close();
    await askingHost?.close();
    await e.cleanup();
  });

  it('refuses operate actions on a container it did not create, which keeps running', async () => {
    for (const tool of ['stop_container', 'restart_container', 'pause_container', 'start_container']) {
      const result = await call(host.client, `${operate}__${tool}`, { id: unmanaged.name });
      expect(result.isError, tool).toBe(true);
      expect(result.text).toMatch(new RegExp(`^refused: \\w+ on container "${unmanaged.name}" \\(\\w{12}\\): it was not created by this instance \\("${operate}"\\) and managedOnly is on`));
    }
    const kill = await call(host.client, `${operate}__kill_container`, { id: unmanaged.id, confirm: true });
    expect(kill.text).toMatch(/^refused: kill on container/);
    expect(await running(unmanaged.id)).toBe(true);
    expect((await e.find(unmanaged.id))!.State.Paused).toBe(false);
  });

  it('refuses admin actions on a container it did not create, which stays', async () => {
    const exec = await call(host.client, `${admin}__exec`, { id: unmanaged.id.slice(0, 12), cmd: ['touch', '/tmp/pwned'], confirm: true });
    expect(exec.text).toMatch(/^refused: exec on container/);
    const remove = await call(host.client, `${admin}__remove_container`, { id: unmanaged.name, force: true, confirm: true });
    expect(remove.text).toMatch(/^refused: remove on container/);
    expect(await running(unmanaged.id)).toBe(true);
    const top = await e.docker.getContainer(unmanaged.id).top();
    expect(JSON.stringify(top.Processes)).not.toContain('touch');
  });

  it('refuses a container managed by another instance of the plugin', async () => {
    const name = mine.foreign;
    const result = await call(host.client, `${operate}__stop_container`, { id: name });
    expect(result.text).toMatch(/^refused: stop on container .*not created by this instance/);
    expect(await running(name)).toBe(true);
  });

  it('operates its own containers', async () => {
    const name = mine.ops;
    const stop = await call(host.client, `${admin}__stop_container`, { id: name, timeoutS: 0 });
    expect(stop.isError, stop.text).toBe(false);
    expect(stop.text).toMatch(/^stop: mcp-test-managed-\S+ \(\w{12}\) is now exited \(exit code 137\)/);
    expect(await running(name)).toBe(false);
    const start = await call(host.client, `${admin}__start_container`, { id: name });
    expect(start.text).toMatch(/is now running$/);
    const pause = await call(host.client, `${admin}__pause_container`, { id: name });
    expect(pause.text).toMatch(/is now paused$/);
    expect((await e.find(name))!.State.Paused).toBe(true);
    const unpause = await call(host.client, `${admin}__unpause_container`, { id: name });
    expect(unpause.text).toMatch(/is now running$/);
    const restart = await call(host.client, `${admin}__restart_container`, { id: name, timeoutS: 0 });
    expect(restart.text).toMatch(/is now running$/);
  });

  it('with managedOnly off, operates containers it did not create', async () => {
    const result = await call(host.client, `${loose}__stop_container`, { id: other.name, timeoutS: 0 });
    expect(result.isError, result.text).toBe(false);
    expect(await running(other.id)).toBe(false);
  });

  it('without elicitation, refuses destructive actions unless confirm: true, and leaves the container alone', async () => {
    const name = mine.destructive;
    for (const [tool, args] of [
      ['kill_container', {}],
      ['remove_container', { force: true }],
      ['exec', { cmd: ['touch', '/tmp/done'] }],
    ] as const) {
      const result = await call(host.client, `${admin}__${tool}`, { id: name, ...args });
      expect(result.isError, tool).toBe(true);
      expect(result.text).toMatch(/is destructive and this client cannot ask the user \(no elicitation support\)\. Ask the user, and only if they agree repeat the call with confirm: true/);
    }
    expect(await running(name)).toBe(true);
    expect(JSON.stringify((await e.docker.getContainer(name).top()).Processes)).not.toContain('touch');

    const exec = await call(host.client, `${admin}__exec`, { id: name, cmd: ['sh', '-c', 'touch /tmp/done && echo ok'], confirm: true });
    expect(exec).toMatchObject({ isError: false, structured: { exitCode: 0, stdout: 'ok\n' } });
    const kill = await call(host.client, `${admin}__kill_container`, { id: name, confirm: true });
    expect(kill.text).toMatch(/is now exited \(exit code 137\)/);
    const remove = await call(host.client, `${admin}__remove_container`, { id: name, confirm: true });
    expect(remove.text).toMatch(/^removed container mcp-test-managed-/);
    expect(await e.find(name)).toBeUndefined();
  });

  it('refuses to remove a running container without force, before asking', async () => {
    const name = mine.running;
    const result = await call(host.client, `${admin}__remove_container`, { id: name, confirm: true });
    expect(result).toMatchObject({ isError: true, text: `container "${name}" is running: stop it first, or pass force: true` });
    expect(await running(name)).toBe(true);
  });

  it('with elicitation, asks the user; a decline leaves everything as it was even when the model passed confirm: true', async () => {
    const name = asks.declined;
    nextAnswer = { action: 'decline' };
    const before = elicitations.length;
    const kill = await call(askingHost.client, `${asked}__kill_container`, { id: name, confirm: true });
    expect(kill).toMatchObject({ isError: true });
    expect(kill.text).toMatch(/^refused: the user did not allow it \(decline\); kill container "mcp-test-managed-\S+" \(\w{12}\) was not done/);
    expect(elicitations.slice(before)).toEqual([expect.stringMatching(/^Allow this Docker action\? kill container "mcp-test-managed-/)]);
    expect(await running(name)).toBe(true);

    nextAnswer = { action: 'accept', content: { confirm: false } };
    const unticked = await call(askingHost.client, `${asked}__remove_container`, { id: name, force: true, confirm: true });
    expect(unticked.text).toMatch(/^refused: the user did not tick "Allow"/);
    expect(await running(name)).toBe(true);

    nextAnswer = { action: 'cancel' };
    const cancelled = await call(askingHost.client, `${asked}__exec`, { id: name, cmd: ['touch', '/tmp/x'] });
    expect(cancelled.text).toMatch(/^refused: the user did not allow it \(cancel\)/);
  });

  it('with elicitation, an accepted answer performs the action without any confirm argument', async () => {
    const name = asks.accepted;
    nextAnswer = { action: 'accept', content: { confirm: true } };
    const exec = await call(askingHost.client, `${asked}__exec`, { id: name, cmd: ['echo', 'allowed'] });
    expect(exec).toMatchObject({ isError: false, structured: { exitCode: 0, stdout: 'allowed\n' } });
    const remove = await call(askingHost.client, `${asked}__remove_container`, { id: name, force: true });
    expect(remove.text).toMatch(/^removed container/);
    expect(await e.find(name)).toBeUndefined();
  });
});
