// Issue 5: logs and exec output are capped in bytes, demultiplexed into stdout/stderr, and say when they
// were truncated; logs are read with tail/since windows by streaming (a container that wrote 8 MB is
// answered after reading little more than the cap); exec exit codes, timeouts and output caps.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDockerEngine, SUITE_LABEL, TEST_IMAGE } from '../../helpers/docker-engine.js';
import { call, dockerConfig } from '../../helpers/docker-fixture.js';
import { spawnHost, type HostUnderTest } from '../../helpers/spawn-host.js';

const engine = await findDockerEngine();
const CAP = 8192;
const LINE = 'x'.repeat(99);

describe.skipIf(!engine)('docker plugin: logs and exec output', () => {
  const e = engine!;
  const ns = e.instanceName('dle');
  let host: HostUnderTest;
  let big: { id: string; name: string };
  let mixed: { id: string; name: string };
  let slow: { id: string; name: string };
  let box: string;

  const logs = (args: Record<string, unknown>) => call(host.client, `${ns}__container_logs`, args);
  const exec = (args: Record<string, unknown>) => call(host.client, `${ns}__exec`, { id: box, confirm: true, ...args });

  beforeAll(async () => {
    [big, mixed, slow] = await Promise.all([
      // 8 MB of 100-byte lines on stdout, then one line on stderr and a last one on stdout (the pauses keep
      // that order in the log: the Engine copies stdout and stderr separately).
      e.run({ cmd: ['sh', '-c', `yes ${LINE} | head -c 8000000; sleep 1; echo err-marker >&2; sleep 0.5; echo last-line`] }),
      e.run({ cmd: ['sh', '-c', 'echo out1; echo err1 >&2; echo out2; printf "caf\\303\\251\\n"'] }),
      e.run({ cmd: ['sh', '-c', 'echo early; sleep 2; echo late'] }),
    ]);
    host = await spawnHost({ configPath: dockerConfig({ [ns]: { socketPath: e.socketPath, profile: 'admin', maxLogBytes: CAP, execTimeoutMs: 20000 } }) });
    box = e.name('box');
    const run = await call(host.client, `${ns}__run_container`, { image: TEST_IMAGE, name: box, cmd: ['sleep', '300'], labels: { [SUITE_LABEL]: e.suite } });
    expect(run.isError, run.text).toBe(false);
    await Promise.all([e.waitExit(big.id), e.waitExit(mixed.id), e.waitExit(slow.id)]);
  });
  afterAll(async () => {
    await host?.close();
    await e.cleanup();
  });

  it('demultiplexes stdout and stderr', async () => {
    const result = await logs({ id: mixed.name });
    expect(result.isError, result.text).toBe(false);
    expect(result.structured).toMatchObject({ stdout: 'out1\nout2\ncafé\n', stderr: 'err1\n', stdoutLines: 3, stderrLines: 1, truncated: false, tty: false });
    expect(result.text).toBe(`logs of ${mixed.name} (${mixed.id.slice(0, 12)}), tail=100\n--- stdout (3 lines) ---\nout1\nout2\ncafé\n--- stderr (1 line) ---\nerr1`);
  });

  it('gives one stream for a TTY container', async () => {
    const tty = await e.run({ cmd: ['sh', '-c', 'echo on-tty; echo also >&2'], tty: true });
    await e.waitExit(tty.id);
    const result = await logs({ id: tty.id });
    expect(result.structured).toMatchObject({ tty: true, stderr: '' });
    expect(result.structured.stdout).toMatch(/on-tty\r?\nalso/);
    expect(result.text).toContain('(TTY: one combined stream)');
  });

  it('reads the last 100 lines by default, from a log of 8 MB, and shows the newest ones that fit the cap', async () => {
    const result = await logs({ id: big.name });
    expect(result.structured.window).toEqual({ tail: 100 });
    expect(result.structured.stderr).toBe('err-marker\n');
    expect(result.structured.stdout.endsWith(`${LINE}\nlast-line\n`)).toBe(true);
    // 100 lines of 100 bytes do not fit 8192 bytes: the answer is the newest lines that do.
    const shown = result.structured.stdoutLines + result.structured.stderrLines;
    expect(result.structured).toMatchObject({ truncated: true, shownTail: shown });
    expect(result.structured.bytes).toBeLessThanOrEqual(CAP);
    expect(result.text).toContain(`truncated: the last 100 lines are more than 8192 bytes (maxLogBytes), so these are the last ${shown}. Use until to page back`);
    const few = await logs({ id: big.name, tail: 2 });
    expect(few.structured).toMatchObject({ stdout: 'last-line\n', stderr: 'err-marker\n', truncated: false });
  });

  it('caps a whole-log read at maxLogBytes, says so, and stops reading the stream there', async () => {
    const result = await logs({ id: big.id, tail: 'all' });
    expect(result.isError).toBe(false);
    expect(result.structured).toMatchObject({ truncated: true, truncatedBy: 'maxBytes', stderr: '' });
    expect(result.structured.bytes).toBeLessThanOrEqual(CAP);
    expect(result.structured.bytes).toBeGreaterThan(CAP - 100);
    // Whole lines only.
    expect(result.structured.stdout).toMatch(new RegExp(`^(${LINE}\\n)+$`));
    // The response was destroyed at the cap: far less than the 8 MB log was read from the Engine.
    expect(result.structured.scannedBytes).toBeLessThan(2 * 1024 * 1024);
    expect(result.text).toMatch(/truncated: the answer stopped at 8192 bytes \(maxLogBytes\) after \d+ line\(s\); the window holds more\. Narrow it with since\/until/);
    const tail = await logs({ id: big.id, tail: 1000 });
    expect(tail.structured).toMatchObject({ truncated: true, stderr: 'err-marker\n' });
    expect(tail.structured.stdout.endsWith('last-line\n')).toBe(true);
    expect(tail.structured.scannedBytes).toBeLessThan(2 * 1024 * 1024);
  });

  it('greps through the whole log and keeps only matching lines', async () => {
    const result = await logs({ id: big.id, grep: 'marker' });
    expect(result.structured).toMatchObject({ stdout: '', stderr: 'err-marker\n', truncated: false, window: { tail: 'all', grep: 'marker' } });
    const many = await logs({ id: big.id, grep: 'xxxx' });
    expect(many.structured).toMatchObject({ truncated: true, truncatedBy: 'maxBytes' });
    expect(many.text).toContain('or a more specific grep');
  });

  it('reads a since/until window', async () => {
    const started = Date.parse((await e.find(slow.id))!.State.StartedAt);
    const later = await logs({ id: slow.id, since: new Date(started + 1000).toISOString() });
    expect(later.structured.stdout).toBe('late\n');
    const earlier = await logs({ id: slow.id, until: (started + 1000) / 1000 });
    expect(earlier.structured.stdout).toBe('early\n');
    const stamped = await logs({ id: slow.id, timestamps: true, tail: 1 });
    expect(stamped.structured.stdout).toMatch(/^\d{4}-\d\d-\d\dT\S+Z late\n$/);
    const relative = await logs({ id: slow.id, since: '1d' });
    expect(relative.structured.stdout).toBe('early\nlate\n');
  });

  it('answers a bad window or a missing container clearly', async () => {
    expect((await logs({ id: slow.id, since: 'last tuesday-ish' })).text).toBe('since: "last tuesday-ish" is not a time (unix seconds, ISO 8601, or a duration like "15m")');
    expect((await logs({ id: e.name('gone') })).text).toMatch(/^not found: No such container/);
  });

  it('returns exec exit codes with stdout and stderr apart', async () => {
    const ok = await exec({ cmd: ['sh', '-c', 'echo to-out; echo to-err >&2; exit 3'] });
    expect(ok.isError, ok.text).toBe(false);
    expect(ok.structured).toMatchObject({ exitCode: 3, stdout: 'to-out\n', stderr: 'to-err\n', timedOut: false, truncated: false });
    expect(ok.text).toMatch(/^exit code 3 after \d+ ms: \["sh","-c","echo to-out; echo to-err >&2; exit 3"\] in mcp-test-box-/);
    expect((await exec({ cmd: ['false'] })).structured.exitCode).toBe(1);
    expect((await exec({ cmd: ['true'] })).structured.exitCode).toBe(0);
    const missing = await exec({ cmd: ['/no/such/binary'] });
    expect(missing.structured.exitCode).toBe(126);
  });

  it('stops an exec at its timeout and kills the process', async () => {
    const result = await exec({ cmd: ['sleep', '77'], timeoutMs: 300 });
    expect(result.isError).toBe(true);
    expect(result.structured).toMatchObject({ timedOut: true, exitCode: null, stoppedBecause: 'timeout', stopped: 'killed' });
    expect(result.text).toMatch(/^timed out after 300 ms: \["sleep","77"\] in \S+ \(the process was killed\)/);
    const top = await e.docker.getContainer(box).top();
    expect(JSON.stringify(top.Processes)).not.toContain('sleep 77');
  });

  it('caps exec output and still reports the exit code of a command that ends', async () => {
    const result = await exec({ cmd: ['sh', '-c', 'seq 1 100000; exit 5'], maxOutputBytes: 30 });
    expect(result.structured).toMatchObject({ exitCode: 5, truncated: true });
    expect(result.structured.stdout).toBe('1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n');
    expect(result.text).toMatch(/truncated: output cut at 30 bytes \(maxOutputBytes\); \d+ more bytes were discarded/);
  });

  it('stops a command that never stops writing', async () => {
    const result = await exec({ cmd: ['yes'], maxOutputBytes: 100 });
    expect(result.isError).toBe(true);
    expect(result.structured).toMatchObject({ stoppedBecause: 'output', stopped: 'killed', truncated: true, bytes: 100 });
    const top = await e.docker.getContainer(box).top();
    expect(JSON.stringify(top.Processes)).not.toMatch(/"yes"/);
  });

  it('refuses exec on a stopped container and caps maxOutputBytes at maxLogBytes', async () => {
    const stopped = e.name('stopped');
    await call(host.client, `${ns}__create_container`, { image: TEST_IMAGE, name: stopped, labels: { [SUITE_LABEL]: e.suite } });
    const result = await call(host.client, `${ns}__exec`, { id: stopped, cmd: ['true'], confirm: true });
    expect(result).toMatchObject({ isError: true, text: `container "${stopped}" is created: exec needs a running container` });
    const over = await exec({ cmd: ['true'], maxOutputBytes: CAP + 1 });
    expect(over.text).toMatch(/maxOutputBytes: must be <= 8192/);
  });
});
