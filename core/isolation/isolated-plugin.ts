import { createInterface } from 'node:readline';
import type { PluginContext, PluginModule, RequestExtra, StopReason } from '../api/plugin-api.js';
import { HOST_INFO, HOST_STATUS } from '../api/tokens.js';
import type { PluginDescriptor } from '../plugins/manifest.js';
import { HostError } from '../util/host-error.js';
import type { Boundary } from './boundary.js';
import { CrashBreaker } from './crash-breaker.js';
import { GuestLink } from './guest-link.js';
import type { IsolationOptions } from './isolation-options.js';
import { RemoteSurface } from './remote-surface.js';
import type { GuestMessage } from './wire.js';

/** How the instance's state shows in host__status while its guest is down. */
export interface IsolationHealth {
  state: 'serving' | 'restarting' | 'crashed';
  error?: { code: string; message: string };
}

export interface IsolatedPluginInputs {
  plugin: PluginDescriptor;
  instanceId: string;
  options: IsolationOptions;
  baseDir: string;
  spawn: () => Boundary;
  health(health: IsolationHealth): void;
}

/** A call that arrives while the guest restarts waits this long for it before failing. */
const RESTART_WAIT_MS = 10_000;
/** Longest line of a guest's stdout/stderr that goes to the log. */
const MAX_OUTPUT_LINE = 2000;

/**
 * A plugin running in a worker thread or child process, seen by the host as an ordinary plugin module:
 * `register` starts the guest and mirrors what it registers onto the real `ctx`; calls cross the boundary.
 * Once started, the guest is supervised: a crash or a stuck event loop fails only the calls in flight,
 * the guest restarts with backoff, and repeated crashes open a circuit (see CrashBreaker).
 */
export class IsolatedPlugin implements PluginModule {
  private ctx!: PluginContext;
  private surface!: RemoteSurface;
  private link?: GuestLink;
  /** The guest that answers calls: set once it has started, cleared when it crashes. */
  private serving?: GuestLink;
  private supervising = false;
  private stopped = false;
  private circuitOpenUntil = 0;
  private lastCrash = '';
  private timer?: NodeJS.Timeout;
  private waiters: { resolve(link: GuestLink): void; reject(error: Error): void }[] = [];
  private readonly breaker: CrashBreaker;
  private readonly describe: string;

  constructor(private readonly inputs: IsolatedPluginInputs) {
    this.breaker = new CrashBreaker(inputs.options);
    this.describe = `instance "${inputs.instanceId}" (${inputs.options.mode})`;
  }

  async register(ctx: PluginContext): Promise<void> {
    this.ctx = ctx;
    this.surface = new RemoteSurface(ctx, (reg, fn, args, extra) => this.call(reg, fn, args, extra));
    // Dispose hooks run even when stop failed or timed out: the guest always ends with its generation.
    ctx.onDispose(() => this.shutdown());
    await this.launch();
  }

  async start(): Promise<void> {
    await this.link!.phase('start');
    this.serving = this.link;
    this.supervising = true;
  }

  async stop(_ctx: PluginContext, reason: StopReason): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.link?.exitReason === undefined) await this.link?.phase('stop', reason);
  }

  private async shutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.failWaiters(new Error(`${this.describe} was stopped`));
    await this.link?.terminate();
  }

  /** Starts a guest, loads the plugin in it and runs its register phase. */
  private async launch(): Promise<GuestLink> {
    const boundary = this.inputs.spawn();
    for (const stream of boundary.output) this.forwardOutput(stream, boundary.label);
    const link = new GuestLink(
      boundary,
      {
        message: (message) => this.onMessage(link, message),
        request: (op, params, extra) => this.onRequest(op, params, extra),
        exit: (reason) => this.crashed(link, reason),
      },
      `${this.describe} ${boundary.label}`,
      this.inputs.options.unresponsiveMs,
      { capabilities: () => this.ctx.client.capabilities(), status: () => this.ctx.container.resolve(HOST_STATUS).list() },
    );
    this.link = link;
    this.surface.beginRun();
    try {
      await link.init({
        entry: this.inputs.plugin.entry,
        instanceId: this.ctx.instanceId,
        namespace: this.ctx.namespace,
        pluginId: this.ctx.pluginId,
        config: this.ctx.config,
        baseDir: this.inputs.baseDir,
        hostInfo: this.ctx.container.resolve(HOST_INFO),
      });
    } catch (error) {
      const message = (error as Error).message;
      throw new HostError('IMPORT_FAILED', `plugin "${this.inputs.plugin.manifest.id}" failed to load ${this.inputs.plugin.entry} in ${boundary.label}: ${message}`, { instance: this.inputs.instanceId, cause: error });
    }
    await link.phase('register');
    if (this.surface.refused) throw this.surface.refused;
    this.surface.endRun();
    return link;
  }

  /** Every call of a registered function goes through here. */
  private call(reg: number, fn: string, args: unknown[], extra: RequestExtra | undefined): Promise<unknown> {
    const link = this.serving;
    if (link) return link.invoke(reg, fn, args, extra);
    return this.whenRunning().then((running) => running.invoke(reg, fn, args, extra));
  }

  private whenRunning(): Promise<GuestLink> {
    if (this.stopped) return Promise.reject(new Error(`${this.describe} was stopped`));
    if (this.circuitOpenUntil > 0) {
      const seconds = Math.max(1, Math.ceil((this.circuitOpenUntil - Date.now()) / 1000));
      return Promise.reject(new Error(`${this.describe} is unavailable: it crashed repeatedly (last: ${this.lastCrash}); next retry in ${seconds} s`));
    }
    return new Promise((resolve, reject) => {
      const waiter = { resolve, reject };
      this.waiters.push(waiter);
      setTimeout(() => {
        if (!this.waiters.includes(waiter)) return;
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`${this.describe} is restarting after a crash (${this.lastCrash}); try again shortly`));
      }, RESTART_WAIT_MS).unref();
    });
  }

  private crashed(link: GuestLink, reason: string): void {
    if (link !== this.link || this.stopped || !this.supervising) return; // before start, the phase that was running fails instead
    this.serving = undefined;
    void link.terminate(); // a process leaves no children behind
    this.lastCrash = reason;
    const decision = this.breaker.crashed();
    const error = { code: 'PLUGIN_CRASHED', message: `${this.describe} crashed: ${reason}` };
    this.ctx.logger.error(`${error.message}; ${decision.action === 'restart' ? `restarting in ${decision.delayMs} ms` : `circuit open for ${decision.delayMs} ms`}`);
    if (decision.action === 'open') {
      this.circuitOpenUntil = Date.now() + decision.delayMs;
      this.failWaiters(new Error(`${this.describe} is unavailable: it crashed repeatedly (last: ${reason})`));
      this.inputs.health({ state: 'crashed', error: { ...error, message: `${error.message}; crashed repeatedly, circuit open (next try in ${Math.ceil(decision.delayMs / 1000)} s)` } });
    } else {
      this.inputs.health({ state: 'restarting', error });
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.restart(decision.action === 'open'), decision.delayMs);
    this.timer.unref();
  }

  private async restart(halfOpen: boolean): Promise<void> {
    this.timer = undefined;
    if (this.stopped) return;
    this.circuitOpenUntil = 0;
    if (halfOpen) this.breaker.halfOpenStarted();
    let link: GuestLink | undefined;
    try {
      link = await this.launch();
      await link.phase('start');
    } catch (error) {
      if (this.stopped) return;
      // A crash during the restart was already handled by crashed(); anything else counts as one.
      if (this.link && this.link.exitReason === undefined) {
        const failed = this.link;
        this.crashed(failed, (error as Error).message);
      }
      return;
    }
    if (this.stopped) return;
    this.ctx.logger.info(`${this.describe} restarted`);
    this.serving = link;
    this.inputs.health({ state: 'serving' });
    for (const waiter of this.waiters.splice(0)) waiter.resolve(link);
  }

  private failWaiters(error: Error): void {
    for (const waiter of this.waiters.splice(0)) waiter.reject(error);
  }

  private onMessage(link: GuestLink, message: GuestMessage): void {
    if (link !== this.link) return;
    switch (message.t) {
      case 'register':
        return this.surface.add(message.reg, message.kind, message.def, message.fns);
      case 'unregister':
        return this.surface.remove(message.reg);
      case 'updated':
        return this.ctx.resources.notifyUpdated(message.uri);
      case 'log':
        return this.ctx.logger[message.level](message.message, message.meta);
      case 'status':
        return message.warn === undefined ? this.ctx.status.clear() : this.ctx.status.warn(message.warn);
      case 'watch-roots': {
        const off = this.ctx.client.onRootsChanged(() => {
          if (this.link === link) link.notifyRootsChanged();
        });
        this.ctx.onDispose(off);
        return;
      }
    }
  }

  private onRequest(op: string, params: unknown, extra: RequestExtra | undefined): Promise<unknown> {
    if (op === 'listRoots') return this.ctx.client.listRoots();
    if (!extra) return Promise.reject(new Error(`${op} is only possible while a request of the client is running`));
    if (op === 'elicit') return extra.elicit(params as Parameters<RequestExtra['elicit']>[0]);
    if (op === 'createMessage') return extra.createMessage(params as Parameters<RequestExtra['createMessage']>[0]);
    return Promise.reject(new Error(`unknown request ${op}`));
  }

  /** What the plugin prints goes to stderr, as an in-process plugin's console output does (stdout is the protocol). */
  private forwardOutput(stream: NodeJS.ReadableStream, label: string): void {
    const lines = createInterface({ input: stream, crlfDelay: Infinity });
    const prefix = `[${this.inputs.instanceId} ${label}] `;
    lines.on('line', (line) => process.stderr.write(`${prefix}${line.length > MAX_OUTPUT_LINE ? `${line.slice(0, MAX_OUTPUT_LINE)}…` : line}\n`));
  }
}
