import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePluginsDir } from '../helpers/host-status.js';
import { nodeBinaries } from '../helpers/node-binaries.js';
import { pollUntil, waitForWatching } from '../helpers/reload-wait.js';
import { spawnHostWithArgs } from '../helpers/spawn-host-args.js';
import { spawnHost, writeConfig, type HostUnderTest } from '../helpers/spawn-host.js';
import { callText } from '../helpers/tool-text.js';

const SECRET = 'sekret-Audit-9f3c1Q';
const MARKER = 'marker-ARG-7731';

interface AuditLine {
  time: string;
  instance: string;
  tool: string;
  argsBytes: number;
  argsSha256: string;
  durationMs: number;
  outcome: string;
  limit?: string;
}

/** The test's own canonical JSON (keys sorted at every level), independent of the host's. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
/** The file's lines; none while it does not exist (also for the moment a rotation has renamed it away). */
function readLines(file: string): AuditLine[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return text.split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

const probe = (more: object = {}) => ({ plugin: 'limits-probe', isolation: 'in-process', timeoutMs: 400, ...more });

/** The audit log: one JSON line per tool call with size and hash of the arguments, never their values nor a secret. */
describe.each(nodeBinaries())('audit log ($label)', ({ path: node }) => {
  let host: HostUnderTest;
  let file: string;
  let lines: AuditLine[];
  const started = Date.now();
  const first = { text: MARKER, nested: { b: 2, a: [1, 'x'] }, n: 5 };
  // The calls, in order, each with its arguments and the tool and outcome its line must show.
  const calls: { name: string; args: Record<string, unknown>; tool?: string; outcome: string; limit?: string }[] = [
    { name: 'aud__echo', args: first, outcome: 'ok' },
    { name: 'aud__fail', args: {}, outcome: 'isError' },
    { name: 'aud__boom', args: { text: MARKER }, outcome: 'error' },
    { name: 'aud__slow', args: { tag: MARKER }, outcome: 'timeout' },
    { name: 'aud__free', args: {}, outcome: 'ok' },
    { name: 'aud__free', args: {}, outcome: 'limited', limit: 'tools.free.rate' },
    { name: 'aud__echo', args: { text: 42 }, outcome: 'invalid-args' },
    { name: 'aud__echo', args: { text: SECRET }, outcome: 'ok' },
    { name: 'aud__echo', args: { n: 5, nested: { a: [1, 'x'], b: 2 }, text: MARKER }, outcome: 'ok' },
  ];

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-host-audit-'));
    file = join(dir, 'logs', 'calls.jsonl');
    const configPath = writeConfig(
      {
        pluginDirs: [fixturePluginsDir],
        audit: { file: './logs/calls.jsonl' },
        plugins: { aud: probe({ config: { secret: '${AUDIT_SECRET}' }, limits: { tools: { free: { rate: { max: 1 } } } } }) },
      },
      dir,
    );
    host = await spawnHost({ configPath, node, env: { AUDIT_SECRET: SECRET } });
    for (const call of calls) await callText(host.client, call.name, call.args);
    // Through host__call_tool: a line for the called tool, then one for host__call_tool itself.
    await callText(host.client, 'host__call_tool', { name: 'aud__echo', arguments: { text: 'via meta' } });
    lines = await pollUntil('every audit line to be written', async () => readLines(file), (l) => l.length >= calls.length + 2);
  });
  afterAll(() => host?.close());

  it('writes one line per call with its tool and outcome, in the order the calls were answered', () => {
    expect(lines.map((l) => [l.tool, l.outcome])).toEqual([
      ...calls.map((c) => [c.name, c.outcome]),
      ['aud__echo', 'ok'],
      ['host__call_tool', 'ok'],
    ]);
    expect(lines.map((l) => l.instance)).toEqual([...calls.map(() => 'aud'), 'aud', 'host']);
    expect(lines[5].limit).toBe('tools.free.rate');
  });

  it('records time, duration, and the size and SHA-256 of the canonical JSON of the arguments as sent', () => {
    for (const [i, call] of calls.entries()) {
      const line = lines[i];
      expect(Object.keys(line).sort()).toEqual(['argsBytes', 'argsSha256', 'durationMs', 'instance', 'outcome', 'time', 'tool', ...(call.limit ? ['limit'] : [])].sort());
      expect(line.argsSha256).toBe(sha256(canonical(call.args)));
      expect(line.argsBytes).toBe(Buffer.byteLength(canonical(call.args)));
      expect(Date.parse(line.time)).toBeGreaterThanOrEqual(started - 1000);
      expect(Date.parse(line.time)).toBeLessThanOrEqual(Date.now());
      expect(line.durationMs).toBeGreaterThanOrEqual(0);
    }
    // Equal arguments in another key order hash the same, so calls can be matched without storing them.
    expect(lines[8].argsSha256).toBe(lines[0].argsSha256);
    expect(lines[7].argsSha256).not.toBe(lines[0].argsSha256);
  });

  it('never writes argument values or a secret, though both reached the plugin and its error message', async () => {
    // Control: the secret really was in the error the plugin threw (the client saw it: that is the plugin's doing).
    expect((await callText(host.client, 'aud__boom', { text: 'control' })).text).toContain(SECRET);
    const text = readFileSync(file, 'utf8');
    for (const value of [SECRET, MARKER, 'via meta', 'control', 'nested']) expect(text).not.toContain(value);
    expect(host.badStdout).toEqual([]);
  });
});

/** `serve --audit FILE` turns the log on; it rotates by size and keeps `keep` old files. */
describe.each(nodeBinaries())('audit log rotation and --audit ($label)', ({ path: node }) => {
  let host: HostUnderTest;
  let dir: string;
  let file: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mcp-host-audit-rot-'));
    file = join(dir, 'calls.jsonl');
    // Off in plugins.json (its sizes still apply): the flag turns it on.
    const configPath = writeConfig({ pluginDirs: [fixturePluginsDir], audit: { enabled: false, maxBytes: 1024, keep: 2 }, plugins: { aud: probe() } });
    host = await spawnHostWithArgs({ configPath, node, args: ['--audit', file] });
  });
  afterAll(() => host?.close());

  it('rotates before a file passes maxBytes and keeps two old files', async () => {
    for (let i = 0; i < 40; i++) await callText(host.client, 'aud__free');
    await callText(host.client, 'aud__fail');
    await pollUntil('the last call to reach the current file', async () => readLines(file).at(-1)?.tool, (tool) => tool === 'aud__fail');
    expect(readdirSync(dir).sort()).toEqual(['calls.jsonl', 'calls.jsonl.1', 'calls.jsonl.2']);
    const older = [...readLines(`${file}.2`), ...readLines(`${file}.1`), ...readLines(file)];
    for (const name of ['calls.jsonl', 'calls.jsonl.1', 'calls.jsonl.2']) expect(statSync(join(dir, name)).size).toBeLessThanOrEqual(1024);
    // The kept files hold the newest lines, whole and in order; the oldest were rotated away.
    expect(older.length).toBeLessThan(41);
    expect(older.at(-1)?.tool).toBe('aud__fail');
    expect(older.slice(0, -1).every((l) => l.tool === 'aud__free' && l.outcome === 'ok')).toBe(true);
    const times = older.map((l) => Date.parse(l.time));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });
});

/** Off unless asked for; `"audit": true` written later takes effect on reload, beside plugins.json. */
describe.each(nodeBinaries())('audit log switch ($label)', ({ path: node }) => {
  let host: HostUnderTest;
  let configPath: string;
  const config = (audit?: boolean) => ({ pluginDirs: [fixturePluginsDir], ...(audit === undefined ? {} : { audit }), plugins: { aud: probe() } });

  beforeAll(async () => {
    configPath = writeConfig(config());
    host = await spawnHost({ configPath, node });
  });
  afterAll(() => host?.close());

  it('writes nothing by default, and starts writing audit.jsonl beside plugins.json once "audit": true is saved', async () => {
    const file = join(dirname(configPath), 'audit.jsonl');
    expect(await callText(host.client, 'aud__free')).toEqual({ isError: false, text: 'free' });
    await waitForWatching(host);
    expect(readdirSync(dirname(configPath))).toEqual(['plugins.json']);
    writeFileSync(configPath, JSON.stringify(config(true)));
    await pollUntil('a call to be audited after the reload', async () => (await callText(host.client, 'aud__echo', { text: 'after' }), readLines(file)), (l) => l.length > 0);
    expect(readLines(file).every((l) => l.tool === 'aud__echo' && l.instance === 'aud')).toBe(true);
  });
});
