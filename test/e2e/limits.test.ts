import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePluginsDir } from '../helpers/host-status.js';
import { nodeBinaries } from '../helpers/node-binaries.js';
import { pollUntil, sleep, waitForWatching } from '../helpers/reload-wait.js';
import { spawnHost, writeConfig, type HostUnderTest } from '../helpers/spawn-host.js';
import { callText, type ToolAnswer } from '../helpers/tool-text.js';

const REFUSED = /was not run: /;

function config(ratedMax: number): object {
  const probe = { plugin: 'limits-probe', isolation: 'in-process', timeoutMs: 30_000 };
  return {
    pluginDirs: [fixturePluginsDir],
    plugins: {
      gate: { ...probe, limits: { maxConcurrent: 3 } },
      rated: {
        ...probe,
        limits: {
          rate: { max: ratedMax },
          // By the tool's own name or its exposed name.
          tools: { free: { rate: false }, rated__fail: { rate: { max: 2, windowMs: 1000 } }, hold: { maxConcurrent: 1, rate: false } },
        },
      },
      walled: { plugin: 'limits-probe', isolation: 'worker', timeoutMs: 30_000, limits: { maxConcurrent: 1 } },
    },
  };
}

/** The first of `calls` to settle, with its index; fails after a generous liveness bound instead of hanging. */
async function firstSettled(calls: Promise<ToolAnswer>[]): Promise<{ index: number; answer: ToolAnswer }> {
  const liveness = sleep(10_000).then(() => {
    throw new Error('no call settled within 10 s: the call over the limit was not refused at once');
  });
  return Promise.race([...calls.map((call, index) => call.then((answer) => ({ index, answer }))), liveness]);
}

const burst = (host: HostUnderTest, tool: string, count: number) =>
  Promise.all(Array.from({ length: count }, (_, i) => callText(host.client, tool, tool.endsWith('echo') ? { text: `call ${i}` } : {})));

/** limits.maxConcurrent per instance (and per tool) and limits.rate per tool: refused at once with a clear isError, never queued. */
describe.each(nodeBinaries())('call limits ($label)', ({ path: node }) => {
  let host: HostUnderTest;
  let configPath: string;
  let work: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'mcp-host-limits-'));
    configPath = writeConfig(config(3));
    host = await spawnHost({ configPath, node });
    await host.client.listTools();
  });
  afterAll(() => host?.close());

  it('refuses the call over maxConcurrent at once, runs the others to completion, and frees the slots afterwards', async () => {
    const release = join(work, 'release-gate');
    const calls = Array.from({ length: 4 }, () => callText(host.client, 'gate__hold', { until: release }));
    // Nothing is released yet, so the first call to settle can only be a refusal.
    const first = await firstSettled(calls);
    expect(first.answer).toEqual({
      isError: true,
      text: 'Tool gate__hold was not run: instance "gate" already has 3 tool calls running (limits.maxConcurrent = 3). Retry when one of them has finished.',
    });
    // The limit is the instance's: another of its tools is refused too while the three run.
    const other = await callText(host.client, 'gate__free');
    expect(other.isError).toBe(true);
    expect(other.text).toContain('limits.maxConcurrent = 3');

    writeFileSync(release, '');
    const answers = await Promise.all(calls);
    expect(answers.filter((a) => a.isError && REFUSED.test(a.text))).toHaveLength(1);
    expect(answers.filter((a) => a.text === 'released')).toHaveLength(3);
    // Every slot was given back.
    expect(await burst(host, 'gate__free', 3)).toEqual(Array(3).fill({ isError: false, text: 'free' }));
  });

  it('applies a per-tool maxConcurrent on top of the instance limits', async () => {
    const release = join(work, 'release-rated');
    const calls = [callText(host.client, 'rated__hold', { until: release }), callText(host.client, 'rated__hold', { until: release })];
    const first = await firstSettled(calls);
    expect(first.answer.isError).toBe(true);
    expect(first.answer.text).toBe(
      'Tool rated__hold was not run: it already has 1 call running (limits.tools.hold.maxConcurrent = 1 of instance "rated"). Retry when one of them has finished.',
    );
    writeFileSync(release, '');
    expect(await calls[1 - first.index]).toEqual({ isError: false, text: 'released' });
  });

  it('limits a worker-isolated instance the same way', async () => {
    const release = join(work, 'release-walled');
    const calls = [callText(host.client, 'walled__hold', { until: release }), callText(host.client, 'walled__hold', { until: release })];
    const first = await firstSettled(calls);
    expect(first.answer.text).toContain('instance "walled" already has 1 tool call running (limits.maxConcurrent = 1)');
    writeFileSync(release, '');
    expect(await calls[1 - first.index]).toEqual({ isError: false, text: 'released' });
  });

  it('admits exactly `max` calls of a tool per window and refuses the rest saying when to retry', async () => {
    const answers = await burst(host, 'rated__echo', 10);
    expect(answers.filter((a) => !a.isError)).toHaveLength(3);
    const refused = answers.filter((a) => a.isError);
    expect(refused).toHaveLength(7);
    for (const answer of refused) {
      expect(answer.text).toMatch(/^Tool rated__echo was not run: its rate limit of 3 calls per 60 s is used up \(limits\.rate of instance "rated"\)\. Retry in [\d.]+ s\.$/);
    }
    // Each tool has its own window: rated__seen is still allowed, and `rate: false` lifts the limit for rated__free.
    expect((await callText(host.client, 'rated__seen')).isError).toBe(false);
    expect(await burst(host, 'rated__free', 10)).toEqual(Array(10).fill({ isError: false, text: 'free' }));
  });

  it('allows calls again once the window has passed (a per-tool rate keyed by exposed name)', async () => {
    const answers = await burst(host, 'rated__fail', 8);
    const ran = answers.filter((a) => a.text === 'failed on purpose');
    const refused = answers.filter((a) => REFUSED.test(a.text));
    expect(ran.length + refused.length).toBe(8);
    expect(ran.length).toBeGreaterThanOrEqual(2);
    expect(refused.length).toBeGreaterThan(0);
    const hint = /limits\.tools\.rated__fail\.rate of instance "rated"\)\. Retry in (\d+(?:\.\d+)?) (s|ms)\./.exec(refused.at(-1)!.text);
    expect(hint).not.toBeNull();
    const waitMs = Number(hint![1]) * (hint![2] === 's' ? 1000 : 1);
    expect(waitMs).toBeLessThanOrEqual(1000);
    await sleep(waitMs + 100);
    expect(await callText(host.client, 'rated__fail')).toEqual({ isError: true, text: 'failed on purpose' });
  });

  it('applies changed limits after plugins.json is edited', async () => {
    expect((await callText(host.client, 'rated__echo', { text: 'x' })).text).toMatch(REFUSED);
    await waitForWatching(host);
    writeFileSync(configPath, JSON.stringify(config(5)));
    // The old window would refuse for a minute: an admitted call means the new limits are in force.
    await pollUntil('rated__echo to be admitted under the new limits', () => callText(host.client, 'rated__echo', { text: 'x' }), (a) => !a.isError);
    const answers = await burst(host, 'rated__echo', 10);
    expect(answers.filter((a) => !a.isError)).toHaveLength(4);
    expect(answers.filter((a) => a.isError)[0].text).toContain('its rate limit of 5 calls per 60 s');
  });
});
