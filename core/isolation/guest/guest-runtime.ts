import { pathToFileURL } from 'node:url';
import type { PluginContext, PluginModule, RequestExtra } from '../../api/plugin-api.js';
import { toWireError, type GuestInit, type HostMessage } from '../wire.js';
import { createGuestContext, type GuestServices } from './guest-context.js';
import type { GuestPort } from './guest-port.js';

/**
 * Runs one plugin inside a worker or child process: loads it, runs its phases, and serves the
 * host's calls of whatever it registered. Every reply carries the id of the request it answers.
 */
export class GuestRuntime {
  private module?: PluginModule;
  private ctx?: PluginContext;
  private nextRequest = 0;
  private readonly requests = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private readonly calls = new Map<number, AbortController>();
  private readonly services: GuestServices;
  /** A client request on behalf of a call (made once: every call's extra shares it). */
  private readonly ask = (op: 'elicit' | 'createMessage', params: unknown, call: number) => this.request(op, params, call);

  constructor(private readonly port: GuestPort) {
    this.services = {
      send: (message) => port.send(message),
      request: (op, params) => this.request(op, params),
      registrations: new Map(),
      disposeHooks: [],
      mirror: { status: [] },
    };
    port.onMessage((message) => this.receive(message));
  }

  private receive(message: HostMessage): void {
    switch (message.t) {
      case 'init':
        return void this.init(message.init);
      case 'phase':
        return this.answer(message.id, () => this.phase(message.phase, message.reason));
      case 'invoke':
        return this.invoke(message);
      case 'cancel':
        // The same reason the handler would see in-process: the client's text, or a TimeoutError on the host's limit.
        return this.calls.get(message.id)?.abort(Object.assign(new Error(message.reason.message), message.reason.name ? { name: message.reason.name } : {}));
      case 'reply': {
        const pending = this.requests.get(message.id);
        this.requests.delete(message.id);
        if (message.ok) pending?.resolve(message.value);
        else pending?.reject(new Error(message.error?.message ?? 'failed'));
        return;
      }
      case 'ping':
        if (message.capabilities) this.services.mirror.capabilities = message.capabilities;
        if (message.status) this.services.mirror.status = message.status;
        return this.port.send({ t: 'pong', n: message.n });
      case 'roots-changed':
        return this.services.rootsChanged?.();
    }
  }

  private async init(init: GuestInit): Promise<void> {
    this.services.mirror.capabilities = init.capabilities;
    this.services.mirror.status = init.status;
    try {
      const namespace = await import(pathToFileURL(init.entry).href);
      const candidate = namespace.default as Partial<PluginModule> | undefined;
      if (!candidate || typeof candidate.register !== 'function') {
        throw new Error(`the default export of ${init.entry} must be { register(ctx), start?(ctx), stop?(ctx) }`);
      }
      this.module = candidate as PluginModule;
      this.ctx = createGuestContext(init, this.services);
    } catch (error) {
      return this.port.send({ t: 'done', id: 0, ok: false, error: toWireError(error) });
    }
    this.port.send({ t: 'ready' });
  }

  private async phase(phase: 'register' | 'start' | 'stop', reason?: 'reload' | 'disable' | 'shutdown'): Promise<void> {
    const module = this.module!;
    const ctx = this.ctx!;
    if (phase === 'register') return module.register(ctx);
    if (phase === 'start') return module.start?.(ctx);
    try {
      await module.stop?.(ctx, reason ?? 'shutdown');
    } finally {
      for (const hook of this.services.disposeHooks.splice(0).reverse()) await Promise.resolve().then(hook).catch(() => {});
      await ctx.container.dispose();
    }
  }

  private invoke(message: HostMessage & { t: 'invoke' }): void {
    const def = this.services.registrations.get(message.reg);
    const fn = def?.[message.fn];
    if (typeof fn !== 'function') {
      return this.port.send({ t: 'done', id: message.id, ok: false, error: { message: 'this registration was removed' } });
    }
    const args = message.args;
    if (message.extra) args.push(this.extra(message.id));
    this.answer(message.id, () => fn.apply(def, args), () => this.calls.delete(message.id));
  }

  private extra(call: number): RequestExtra {
    return new GuestExtra(call, this.services, this.calls, this.ask);
  }

  /** Runs `work` and sends its outcome back as the answer to request `id`. */
  private answer(id: number, work: () => unknown, done?: () => void): void {
    let outcome: Promise<unknown>;
    try {
      outcome = Promise.resolve(work());
    } catch (error) {
      outcome = Promise.reject(error);
    }
    outcome.then(
      (value) => {
        done?.();
        this.port.sendLater({ t: 'done', id, ok: true, value }, (error) =>
          this.port.send({ t: 'done', id, ok: false, error: { message: `the result cannot cross the isolation boundary: ${(error as Error).message}` } }),
        );
      },
      (error) => {
        done?.();
        this.port.sendLater({ t: 'done', id, ok: false, error: toWireError(error) }, () => {});
      },
    );
  }

  private request(op: 'listRoots' | 'elicit' | 'createMessage', params?: unknown, call?: number): Promise<unknown> {
    const id = ++this.nextRequest;
    return new Promise((resolve, reject) => {
      this.requests.set(id, { resolve, reject });
      this.port.send({ t: 'request', id, op, params, ...(call === undefined ? {} : { call }) });
    });
  }
}

/**
 * A call's extra inside the guest. Its members are getters that make their function on first use (most calls use
 * none); the functions do not depend on `this`, so a plugin may destructure them, as it may in-process.
 */
class GuestExtra implements RequestExtra {
  private progress?: RequestExtra['sendProgress'];
  private logger?: RequestExtra['log'];
  private elicitation?: RequestExtra['elicit'];
  private sampling?: RequestExtra['createMessage'];

  constructor(
    private readonly call: number,
    private readonly services: GuestServices,
    private readonly calls: Map<number, AbortController>,
    private readonly ask: (op: 'elicit' | 'createMessage', params: unknown, call: number) => Promise<unknown>,
  ) {}

  // Made on first read, and only then does the host forward this call's cancellation (see GuestLink.watchSignal).
  get signal(): AbortSignal {
    let controller = this.calls.get(this.call);
    if (!controller) {
      this.calls.set(this.call, (controller = new AbortController()));
      this.services.send({ t: 'watch-signal', call: this.call });
    }
    return controller.signal;
  }

  get sendProgress(): RequestExtra['sendProgress'] {
    const { call, services } = this;
    return (this.progress ??= async (progress, total, message) => services.send({ t: 'progress', call, args: [progress, total, message] }));
  }

  get log(): RequestExtra['log'] {
    const { call, services } = this;
    return (this.logger ??= async (level, data) => services.send({ t: 'client-log', call, level, data }));
  }

  get elicit(): RequestExtra['elicit'] {
    const { ask, call } = this;
    return (this.elicitation ??= (params) => ask('elicit', params, call) as ReturnType<RequestExtra['elicit']>);
  }

  get createMessage(): RequestExtra['createMessage'] {
    const { ask, call } = this;
    return (this.sampling ??= (params) => ask('createMessage', params, call) as ReturnType<RequestExtra['createMessage']>);
  }
}
