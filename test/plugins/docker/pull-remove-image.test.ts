// Issue 5, admin image tools: pull_image is gated by allowedImages and by confirmation (elicitation or
// confirm: true) and reports a registry it cannot reach clearly (no registry is reachable here: the
// reference names a closed local port); remove_image is confirmed too and removes only what it names.
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDockerEngine, TEST_IMAGE } from '../../helpers/docker-engine.js';
import { call, dockerConfig } from '../../helpers/docker-fixture.js';
import { spawnHost, type HostUnderTest } from '../../helpers/spawn-host.js';

const engine = await findDockerEngine();
const UNREACHABLE = '127.0.0.1:9/mcp-host-test/never:1';

describe.skipIf(!engine)('docker plugin: pull_image and remove_image', () => {
  const e = engine!;
  const admin = e.instanceName('dia');
  const allowlisted = e.instanceName('dil');
  const asked = e.instanceName('die');
  let host: HostUnderTest;
  let askingHost: HostUnderTest;
  let answer: 'accept' | 'decline' = 'decline';
  const elicited: string[] = [];
  const tags: string[] = [];

  const tagged = async (suffix: string) => {
    const tag = `rm-${suffix}-${e.suite}`;
    await e.docker.getImage(TEST_IMAGE).tag({ repo: 'mcp-host-test/busybox', tag });
    tags.push(`mcp-host-test/busybox:${tag}`);
    return `mcp-host-test/busybox:${tag}`;
  };
  const exists = async (ref: string) =>
    e.docker
      .getImage(ref)
      .inspect()
      .then(() => true)
      .catch(() => false);

  beforeAll(async () => {
    const socketPath = e.socketPath;
    host = await spawnHost({
      configPath: dockerConfig({
        [admin]: { socketPath, profile: 'admin', pullTimeoutMs: 60000 },
        [allowlisted]: { socketPath, profile: 'admin', allowedImages: ['127.0.0.1:9/mcp-host-test/*', 'mcp-host-test/busybox:rm-*'] },
      }),
    });
    askingHost = await spawnHost({
      configPath: dockerConfig({ [asked]: { socketPath, profile: 'admin' } }),
      capabilities: { elicitation: {} },
      setup: (client) =>
        client.setRequestHandler(ElicitRequestSchema, async (request) => {
          elicited.push(request.params.message);
          return answer === 'accept' ? { action: 'accept', content: { confirm: true } } : { action: 'decline' };
        }),
    });
  });
  afterAll(async () => {
    await host?.close();
    await askingHost?.close();
    for (const tag of tags) await e.docker.getImage(tag).remove().catch(() => {});
    await e.cleanup();
  });

  it('asks before pulling: no confirm without elicitation is a refusal', async () => {
    const result = await call(host.client, `${admin}__pull_image`, { ref: UNREACHABLE });
    expect(result).toMatchObject({ isError: true });
    expect(result.text).toMatch(/^refused: pull image 127\.0\.0\.1:9\/mcp-host-test\/never:1 is destructive and this client cannot ask the user/);
  });

  it('reports an unreachable registry clearly', async () => {
    const result = await call(host.client, `${admin}__pull_image`, { ref: UNREACHABLE, confirm: true });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/^(pull of 127\.0\.0\.1:9\/mcp-host-test\/never:1 failed: |Docker Engine error \(HTTP 500\): ).*127\.0\.0\.1:9.*connection refused/);
    expect(await exists(UNREACHABLE)).toBe(false);
  });

  it('with elicitation, pulls only when the user accepts', async () => {
    answer = 'decline';
    const declined = await call(askingHost.client, `${asked}__pull_image`, { ref: UNREACHABLE, confirm: true });
    expect(declined.text).toBe('refused: the user did not allow it (decline); pull image 127.0.0.1:9/mcp-host-test/never:1 was not done');
    answer = 'accept';
    const accepted = await call(askingHost.client, `${asked}__pull_image`, { ref: UNREACHABLE });
    expect(accepted.text).toMatch(/connection refused/);
    expect(elicited).toEqual([expect.stringContaining('pull image 127.0.0.1:9/mcp-host-test/never:1'), expect.stringContaining('pull image')]);
  });

  it('refuses to pull outside allowedImages, and image ids', async () => {
    const outside = await call(host.client, `${allowlisted}__pull_image`, { ref: 'busybox:latest', confirm: true });
    expect(outside.text).toBe('refused: image "busybox:latest" is not in allowedImages (127.0.0.1:9/mcp-host-test/*, mcp-host-test/busybox:rm-*)');
    const byId = await call(host.client, `${admin}__pull_image`, { ref: 'sha256:' + 'a'.repeat(64), confirm: true });
    expect(byId.text).toBe('pull needs a reference (name[:tag]), not an image id');
    const inside = await call(host.client, `${allowlisted}__pull_image`, { ref: UNREACHABLE, confirm: true });
    expect(inside.text).toMatch(/connection refused/);
  });

  it('removes an image tag only when confirmed, and leaves the image it pointed to', async () => {
    const tag = await tagged('a');
    const unconfirmed = await call(host.client, `${admin}__remove_image`, { id: tag });
    expect(unconfirmed.text).toMatch(/^refused: remove image mcp-host-test\/busybox:rm-a-\S+ \(\w{12}\) is destructive/);
    expect(await exists(tag)).toBe(true);
    const removed = await call(host.client, `${admin}__remove_image`, { id: tag, confirm: true });
    expect(removed).toMatchObject({ isError: false, text: `untagged ${tag}` });
    expect(await exists(tag)).toBe(false);
    expect(await exists(TEST_IMAGE)).toBe(true);
    const again = await call(host.client, `${admin}__remove_image`, { id: tag, confirm: true });
    expect(again.text).toMatch(/^not found: .*No such image/i);
  });

  it('removes under allowedImages only what it allows', async () => {
    const refused = await call(host.client, `${allowlisted}__remove_image`, { id: TEST_IMAGE, confirm: true });
    expect(refused.text).toBe('refused: image "mcp-host-test/busybox:1" is not in allowedImages (127.0.0.1:9/mcp-host-test/*, mcp-host-test/busybox:rm-*)');
    expect(await exists(TEST_IMAGE)).toBe(true);
    const tag = await tagged('b');
    const removed = await call(host.client, `${allowlisted}__remove_image`, { id: tag, confirm: true });
    expect(removed.text).toBe(`untagged ${tag}`);
  });
});
