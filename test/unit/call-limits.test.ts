import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../core/audit/canonical-json.js';
import { parseConfig } from '../../core/config/load-config.js';
import { CallPolicies } from '../../core/limits/call-policies.js';
import { RateWindow } from '../../core/limits/rate-window.js';

describe('RateWindow', () => {
  it('admits max calls in any window and says exactly when the next one fits', () => {
    let now = 1000;
    const window = new RateWindow(2, 500, () => now);
    expect(window.take()).toBe(0);
    now = 1100;
    expect(window.take()).toBe(0);
    now = 1200;
    expect(window.take()).toBe(300); // the first call leaves the window at 1500
    now = 1499;
    expect(window.take()).toBe(1);
    now = 1500;
    expect(window.take()).toBe(0); // refused calls did not count
    expect(window.take()).toBe(100); // the second call (1100) leaves at 1600
  });
});

describe('call limits', () => {
  const policies = () => new CallPolicies();
  it('refuses over the instance gate, then over the tool gate, then over the rate; release gives slots back', () => {
    const policy = policies().for({ id: 'db', plugin: 'p', enabled: true, namespace: 'db', config: {}, limits: { maxConcurrent: 2, rate: { max: 3, windowMs: 60_000 }, tools: { q: { maxConcurrent: 1 } } } });
    const q = policy.forTool('q', 'db__q')!;
    const r = policy.forTool('r', 'db__r')!;
    expect(q.admit()).toBeUndefined();
    expect(q.admit()?.limit).toBe('tools.q.maxConcurrent');
    expect(r.admit()).toBeUndefined();
    expect(r.admit()?.text).toBe('Tool db__r was not run: instance "db" already has 2 tool calls running (limits.maxConcurrent = 2). Retry when one of them has finished.');
    q.release();
    r.release();
    expect(r.admit()).toBeUndefined();
    r.release();
    expect(r.admit()).toBeUndefined();
    r.release();
    expect(r.admit()?.text).toMatch(/^Tool db__r was not run: its rate limit of 3 calls per 60 s is used up \(limits\.rate of instance "db"\)\. Retry in \d+(\.\d)? s\.$/);
  });

  it('keeps a policy (and its counts) while timeoutMs and limits stay the same, and makes a fresh one when they change', () => {
    const all = policies();
    const base = { id: 'db', plugin: 'p', enabled: true, namespace: 'db', config: {} };
    const first = all.for({ ...base, limits: { maxConcurrent: 1 } });
    expect(all.for({ ...base, config: { other: 1 }, limits: { maxConcurrent: 1 } })).toBe(first);
    expect(all.for({ ...base, limits: { maxConcurrent: 2 } })).not.toBe(first);
    expect(all.for({ ...base, timeoutMs: 0 }).timeoutMs).toBe(0);
    expect(all.for(base).timeoutMs).toBe(60_000);
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every level, drops undefined members, and matches JSON.stringify otherwise', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: true, y: null }], c: 'x' }, u: undefined })).toBe('{"a":{"c":"x","d":[1,{"y":null,"z":true}]},"b":1}');
    expect(canonicalJson({ s: 'é"\n', n: 1e21, f: 0.1 })).toBe(JSON.stringify({ f: 0.1, n: 1e21, s: 'é"\n' }));
    expect(canonicalJson({})).toBe('{}');
    const hash = (v: unknown) => createHash('sha256').update(canonicalJson(v)).digest('hex');
    expect(hash({ a: 1, b: [2] })).toBe(hash({ b: [2], a: 1 }));
  });
});

describe('plugins.json: timeoutMs, limits, audit', () => {
  it('keeps what is written, defaults rate windows to a minute, and leaves the audit log off', () => {
    const { config } = parseConfig(
      { plugins: { db: { plugin: 'postgres', timeoutMs: 0, limits: { rate: { max: 5 }, tools: { q: { rate: { max: 1 } }, r: { rate: false } } } }, plain: {} } },
      '/x/plugins.json',
      {},
    );
    expect(config.instances[0]).toMatchObject({ timeoutMs: 0, limits: { rate: { max: 5, windowMs: 60_000 }, tools: { q: { rate: { max: 1, windowMs: 60_000 } }, r: { rate: false } } } });
    expect(config.instances[1].timeoutMs).toBeUndefined();
    expect(config.instances[1].limits).toBeUndefined();
    expect(config.audit).toEqual({ enabled: false, file: '/x/audit.jsonl', maxBytes: 10 * 1024 * 1024, keep: 5 });
  });

  it('turns the audit log on with true or an object, relative to plugins.json', () => {
    expect(parseConfig({ audit: true }, '/x/plugins.json', {}).config.audit).toMatchObject({ enabled: true, file: '/x/audit.jsonl' });
    expect(parseConfig({ audit: { file: 'logs/a.jsonl', keep: 2 } }, '/x/plugins.json', {}).config.audit).toEqual({ enabled: true, file: '/x/logs/a.jsonl', maxBytes: 10 * 1024 * 1024, keep: 2 });
    expect(parseConfig({ audit: { enabled: false, maxBytes: 2048 } }, '/x/plugins.json', {}).config.audit).toMatchObject({ enabled: false, maxBytes: 2048 });
  });

  it('refuses bad values with their JSON paths', () => {
    expect(() => parseConfig({ plugins: { a: { timeoutMs: -1, limits: { maxConcurrent: 0, rate: { max: 1, per: 2 } } } } }, '/x/plugins.json', {})).toThrow(
      /plugins\.a\.timeoutMs: must be >= 0[\s\S]*plugins\.a\.limits\.maxConcurrent: must be >= 1[\s\S]*plugins\.a\.limits\.rate\.per: unknown key/,
    );
  });
});
