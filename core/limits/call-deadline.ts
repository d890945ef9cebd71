import { performance } from 'node:perf_hooks';
import type { RequestExtra } from '../api/plugin-api.js';
import { cancelReason } from './cancellation.js';

/** What `CallDeadline.race` resolves with once the time ran out. */
export const EXPIRED: unique symbol = Symbol('expired');

/** How often running deadlines are checked: a call is cut off at most this late. */
const TICK_MS = 20;

/**
 * Every running deadline, in a list threaded through the deadlines themselves, checked by one shared interval
 * timer while there are any: a timer per call (a Node Timeout object, list insertion and removal) costs more than
 * the rest of the time limit's work on the call path.
 */
let head: CallDeadline | undefined;
let sweeper: NodeJS.Timeout | undefined;

function sweep(): void {
  if (!head) {
    clearInterval(sweeper);
    sweeper = undefined;
    return;
  }
  const now = performance.now();
  for (let deadline: CallDeadline | undefined = head; deadline; ) {
    const next: CallDeadline | undefined = deadline.next;
    deadline.poll(now);
    deadline = next;
  }
}

/**
 * The time limit of one call. The handler gets its own `extra`: a signal aborted on expiry as well as when the
 * client cancels, a `sendProgress` that restarts the time, and client requests (elicitation, sampling) during
 * which the time stands still (a person may be typing).
 *
 * The signal is made only when the handler reads `extra.signal`: an AbortSignal and a listener on the client's
 * signal cost more than the rest of the call path together, and most quick handlers never look at it.
 */
export class CallDeadline {
  readonly extra: RequestExtra;
  /** performance.now() at which the call is cut off. */
  due: number;
  /** @internal the running list (only while the handler's promise is pending). */
  next?: CallDeadline;
  private prev?: CallDeadline;
  private linked = false;
  private controller?: AbortController;
  /** Client requests in flight: while any is, expiry is put off. */
  private waiting = 0;
  private expired = false;
  private ended = false;
  private listening = false;
  private settle?: (value: typeof EXPIRED) => void;
  /** What `extra.onCancel` registered: called on expiry, or when the sweep sees the client's signal aborted. */
  private cancelListeners?: ((reason: unknown) => void)[];

  constructor(
    private readonly outer: RequestExtra,
    readonly ms: number,
  ) {
    this.due = performance.now() + ms;
    this.extra = new DeadlineExtra(this, outer);
  }

  /** @internal a progress notification (or a client request answered): the time starts again. */
  refresh(): void {
    this.due = performance.now() + this.ms;
  }

  /** The handler's value, or EXPIRED if the time runs out first (a late value is then dropped). */
  race<T>(work: Promise<T>): Promise<T | typeof EXPIRED> {
    // Only a handler that went asynchronous can run out of time: only then is the deadline watched.
    this.link();
    return new Promise<T | typeof EXPIRED>((resolve, reject) => {
      this.settle = resolve;
      work.then(resolve, reject);
    });
  }

  /** @internal the sweep: the time ran out, or the client cancelled and someone listens through onCancel. */
  poll(now: number): void {
    if (this.cancelListeners) {
      const reason = cancelReason(this.outer);
      if (reason !== undefined) this.cancelled(reason);
    }
    if (now >= this.due) this.expire(now);
  }

  /** @internal `extra.onCancel`: watched by the sweep, so no AbortSignal or event listener is made. */
  onCancel(listener: (reason: unknown) => void): () => void {
    const reason = this.expired ? this.timeoutReason() : cancelReason(this.outer);
    if (reason !== undefined || this.ended) {
      if (reason !== undefined) queueMicrotask(() => listener(reason));
      return () => {};
    }
    (this.cancelListeners ??= []).push(listener);
    this.link();
    return () => {
      const index = this.cancelListeners?.indexOf(listener) ?? -1;
      if (index >= 0) this.cancelListeners!.splice(index, 1);
    };
  }

  private cancelled(reason: unknown): void {
    const listeners = this.cancelListeners;
    this.cancelListeners = undefined;
    for (const listener of listeners ?? []) {
      try {
        listener(reason);
      } catch {
        // A listener's own failure is not the call's.
      }
    }
  }

  /** The call has been answered: no expiry any more, and the client's cancellation no longer concerns it. */
  end(): void {
    this.ended = true;
    this.cancelListeners = undefined;
    this.unlink();
    if (this.listening) this.outer.signal.removeEventListener('abort', this);
  }

  /** The client cancelled the call (a listener object: no closure per call). */
  handleEvent(): void {
    this.controller!.abort(this.outer.signal.reason);
  }

  /** @internal the time ran out. */
  expire(now: number): void {
    if (this.waiting > 0) {
      this.due = now + this.ms;
      return;
    }
    this.unlink();
    this.expired = true;
    this.settle?.(EXPIRED);
    this.controller?.abort(this.timeoutReason());
    if (this.cancelListeners) this.cancelled(this.timeoutReason());
  }

  private link(): void {
    if (this.linked || this.ended) return;
    this.linked = true;
    this.next = head;
    if (head) head.prev = this;
    head = this;
    if (!sweeper) {
      sweeper = setInterval(sweep, TICK_MS);
      // The calls themselves keep the process alive, not their time limits.
      sweeper.unref();
    }
  }

  private unlink(): void {
    if (!this.linked) return;
    this.linked = false;
    if (this.prev) this.prev.next = this.next;
    else head = this.next;
    if (this.next) this.next.prev = this.prev;
    this.prev = this.next = undefined;
  }

  /** @internal the handler read `extra.signal`. */
  signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      const outer = this.outer.signal;
      if (this.expired) this.controller.abort(this.timeoutReason());
      else if (outer.aborted) this.controller.abort(outer.reason);
      else if (!this.ended) {
        outer.addEventListener('abort', this);
        this.listening = true;
      }
    }
    return this.controller.signal;
  }

  private timeoutReason(): DOMException {
    return new DOMException(`the call took longer than its time limit (timeoutMs ${this.ms})`, 'TimeoutError');
  }

  /** @internal */
  async whileWaiting<T>(request: Promise<T>): Promise<T> {
    this.waiting++;
    try {
      return await request;
    } finally {
      this.waiting--;
      this.refresh();
    }
  }
}

/**
 * The `extra` a handler under a deadline sees. Its members are getters, made on first use: most quick handlers
 * touch none of them, and an AbortSignal (with its listener on the client's signal) or a closure per member
 * would otherwise be made for every call. The functions handed out do not depend on `this`, so a plugin may
 * destructure them.
 */
class DeadlineExtra implements RequestExtra {
  private progress?: RequestExtra['sendProgress'];
  private elicitation?: RequestExtra['elicit'];
  private sampling?: RequestExtra['createMessage'];
  private cancelWatch?: RequestExtra['onCancel'];

  constructor(
    private readonly deadline: CallDeadline,
    private readonly outer: RequestExtra,
  ) {}

  get signal(): AbortSignal {
    return this.deadline.signal();
  }

  get onCancel(): NonNullable<RequestExtra['onCancel']> {
    const { deadline } = this;
    return (this.cancelWatch ??= (listener) => deadline.onCancel(listener));
  }

  get sendProgress(): RequestExtra['sendProgress'] {
    const { deadline, outer } = this;
    return (this.progress ??= (progress, total, message) => {
      deadline.refresh();
      return outer.sendProgress(progress, total, message);
    });
  }

  get log(): RequestExtra['log'] {
    return this.outer.log;
  }

  get elicit(): RequestExtra['elicit'] {
    const { deadline, outer } = this;
    return (this.elicitation ??= (params) => deadline.whileWaiting(outer.elicit(params)));
  }

  get createMessage(): RequestExtra['createMessage'] {
    const { deadline, outer } = this;
    return (this.sampling ??= (params) => deadline.whileWaiting(outer.createMessage(params)));
  }
}

/** Runs `work` under a time limit of `ms` (0: none, and `outer` is passed on as it is); EXPIRED when the time ran out. */
export async function withDeadline<T>(ms: number, outer: RequestExtra, work: (extra: RequestExtra) => Promise<T> | T): Promise<T | typeof EXPIRED> {
  if (!(ms > 0)) return work(outer);
  const deadline = new CallDeadline(outer, ms);
  try {
    return await deadline.race(run(work, deadline.extra));
  } finally {
    deadline.end();
  }
}

async function run<T>(work: (extra: RequestExtra) => Promise<T> | T, extra: RequestExtra): Promise<T> {
  return work(extra);
}

/** Why a call was cut off, for the client. */
export function expiredText(ms: number, instanceId: string): string {
  return `no result within ${ms} ms (timeoutMs of instance "${instanceId}"; each progress notification restarts it)`;
}
