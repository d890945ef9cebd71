import { describe, expect, it } from 'vitest';
import { cancelReason, LAZY_ABORT, LazyAbort } from '../../core/limits/cancellation.js';

describe('LazyAbort: a request\'s cancellation whose AbortSignal is made only when read', () => {
  it('aborts a signal read later with the reason given before', () => {
    const cancel = new LazyAbort();
    cancel.abort('user pressed stop');
    expect(cancel.signal.aborted).toBe(true);
    expect(cancel.signal.reason).toBe('user pressed stop');
  });

  it('aborts a signal read before, firing its listeners once, with the first reason', () => {
    const cancel = new LazyAbort();
    const seen: unknown[] = [];
    cancel.signal.addEventListener('abort', () => seen.push(cancel.signal.reason));
    cancel.abort('first');
    cancel.abort('second');
    expect(seen).toEqual(['first']);
    expect(cancel.reason).toBe('first');
  });

  it('gives an AbortError without a reason, as AbortController does', () => {
    const cancel = new LazyAbort();
    cancel.abort();
    const plain = new AbortController();
    plain.abort();
    expect(cancel.signal.reason).toBeInstanceOf(DOMException);
    expect((cancel.reason as DOMException).name).toBe((plain.signal.reason as DOMException).name);
  });
});

describe('cancelReason', () => {
  it('reads a LazyAbort without making its signal', () => {
    const cancel = new LazyAbort();
    let made = 0;
    const extra = {
      [LAZY_ABORT]: cancel,
      get signal() {
        made++;
        return cancel.signal;
      },
    };
    expect(cancelReason(extra)).toBeUndefined();
    cancel.abort('stop');
    expect(cancelReason(extra)).toBe('stop');
    expect(made).toBe(0);
  });

  it('reads a plain signal where there is no LazyAbort', () => {
    const controller = new AbortController();
    expect(cancelReason({ signal: controller.signal })).toBeUndefined();
    controller.abort('gone');
    expect(cancelReason({ signal: controller.signal })).toBe('gone');
  });
});
