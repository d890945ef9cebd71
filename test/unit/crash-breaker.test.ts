import { describe, expect, it } from 'vitest';
import { CrashBreaker } from '../../core/isolation/crash-breaker.js';
import { isolationOptions } from '../../core/isolation/isolation-options.js';

describe('CrashBreaker', () => {
  const options = { maxCrashes: 3, crashWindowMs: 10_000, cooldownMs: 1000 };

  it('restarts with doubling backoff, then opens after maxCrashes within the window', () => {
    const breaker = new CrashBreaker(options);
    expect(breaker.crashed(0)).toEqual({ action: 'restart', delayMs: 200 });
    expect(breaker.crashed(100)).toEqual({ action: 'restart', delayMs: 400 });
    expect(breaker.crashed(200)).toEqual({ action: 'open', delayMs: 1000 });
  });

  it('forgets crashes older than the window', () => {
    const breaker = new CrashBreaker(options);
    breaker.crashed(0);
    breaker.crashed(1000);
    expect(breaker.crashed(20_000)).toEqual({ action: 'restart', delayMs: 200 });
  });

  it('re-opens at once, for twice as long, when a half-open run crashes during its probation', () => {
    const breaker = new CrashBreaker(options);
    for (const t of [0, 1, 2]) breaker.crashed(t);
    breaker.halfOpenStarted(2000);
    expect(breaker.crashed(2500)).toEqual({ action: 'open', delayMs: 2000 });
    breaker.halfOpenStarted(5000);
    expect(breaker.crashed(5100)).toEqual({ action: 'open', delayMs: 4000 });
    // A half-open run that outlives its probation is back to normal restarts.
    breaker.halfOpenStarted(10_000);
    expect(breaker.crashed(30_000)).toEqual({ action: 'restart', delayMs: 200 });
  });
});

describe('isolationOptions', () => {
  it('defaults to in-process for built-in plugins and a worker for third-party ones', () => {
    expect(isolationOptions(undefined, true).mode).toBe('in-process');
    expect(isolationOptions(undefined, false).mode).toBe('worker');
  });

  it('takes the string and the object form, filling defaults', () => {
    expect(isolationOptions('process', true)).toMatchObject({ mode: 'process', unresponsiveMs: 5000, maxCrashes: 3, crashWindowMs: 60_000, cooldownMs: 30_000 });
    expect(isolationOptions({ mode: 'worker', memoryLimitMb: 64, cooldownMs: 500 }, true)).toMatchObject({ mode: 'worker', memoryLimitMb: 64, cooldownMs: 500, maxCrashes: 3 });
  });
});
