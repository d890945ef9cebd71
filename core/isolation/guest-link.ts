import type { ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';
import type { RequestExtra } from '../api/plugin-api.js';
import type { InstanceStatus } from '../api/tokens.js';
import type { Boundary } from './boundary.js';
import type { GuestInit, GuestMessage, HostMessage, WireError } from './wire.js';
import { toWireError } from './wire.js';

/** What a guest asks of the host outside any call. */
export interface GuestEvents {
  message(message: GuestMessage): void;
  /** A request the host answers (listRoots), or a call's extra (elicit, createMessage) when `extra` is given. */
  request(op: string, params: unknown, extra: RequestExtra | undefined): Promise<unknown>;
  /** The guest is gone without being asked to go. */
  exit(reason: string): void;
}

/** What the guest mirrors of the host; sent with heartbeats when it changed. */
export interface HostSnapshot {
  capabilities(): ClientCapabilities | undefined;
  status(): InstanceStatus[];
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  extra?: RequestExtra;
  onAbort?: () => void;
  /** Progress and log notifications of this call still being sent: the result must not overtake them. */
  notes?: Promise<void>;
}

/**
 * The host's side of one running guest: request/response over the boundary, the call extras the
 * guest uses, and a heartbeat that finds a stuck event loop (a busy loop) and ends the guest.
 */
export class GuestLink {
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();
  private lastPong = Date.now();
  private ping = 0;
  private heartbeat?: NodeJS.Timeout;
  private gone?: string;
  private ending = false;
  private killReason?: string;
  private sentCapabilities?: ClientCapabilities;
  private sentStatus = '';
  private onReady?: () => void;

  constructor(
    private readonly boundary: Boundary,
    private readonly events: GuestEvents,
    private readonly describe: string,
    private readonly unresponsiveMs: number,
    private readonly snapshot: HostSnapshot,
  ) {
    boundary.onMessage((message) => this.receive(message));
    boundary.onExit((reason) => this.exited(this.killReason ?? reason));
  }

  /** Why the guest is gone, once it is. */
  get exitReason(): string | undefined {
    return this.gone;
  }

  /** Sends the plugin to load; resolves when its module is imported (then the heartbeat starts). */
  init(init: Omit<GuestInit, 'capabilities' | 'status'>): Promise<void> {
    const ready = new Promise<void>((resolve, reject) => {
      this.onReady = resolve;
      this.pending.set(0, { resolve: () => resolve(), reject });
    });
    this.sentCapabilities = this.snapshot.capabilities();
    const status = this.snapshot.status();
    this.sentStatus = JSON.stringify(status);
    this.send({ t: 'init', init: { ...init, capabilities: this.sentCapabilities, status } });
    return ready.then(() => {
      this.pending.delete(0);
      this.startHeartbeat();
    });
  }

  phase(phase: 'register' | 'start' | 'stop', reason?: 'reload' | 'disable' | 'shutdown'): Promise<void> {
    return this.request((id) => ({ t: 'phase', id, phase, reason })) as Promise<void>;
  }

  /** Calls a function the guest registered; `extra` (if any) is served to the guest for this call. */
  invoke(reg: number, fn: string, args: unknown[], extra: RequestExtra | undefined): Promise<unknown> {
    return this.request((id) => ({ t: 'invoke', id, reg, fn, args, extra: extra !== undefined }), extra);
  }

  /** The client's roots changed (the guest asked to hear of it). */
  notifyRootsChanged(): void {
    this.send({ t: 'roots-changed' });
  }

  /** Ends the guest on purpose (stop, reload): calls still running fail with `reason`. */
  async terminate(reason = 'stopped'): Promise<void> {
    this.ending = true;
    this.killReason ??= reason;
    await this.boundary.terminate();
  }

  private request(make: (id: number) => HostMessage, extra?: RequestExtra): Promise<unknown> {
    if (this.gone !== undefined) return Promise.reject(this.goneError());
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, extra });
      // Calls go together with the others of this turn; one that cannot be cloned fails alone.
      this.boundary.sendLater(make(id), (error) => this.settle(id, false, undefined, { message: `cannot send to the plugin: ${(error as Error).message}` }));
    });
  }

  /**
   * The guest's handler looked at its signal: forward this call's cancellation (client cancel or the host's time
   * limit). Only then: making the host-side signal and its listener costs more than a quick call itself.
   */
  private watchSignal(id: number): void {
    const pending = this.pending.get(id);
    const extra = pending?.extra;
    if (!pending || !extra || pending.onAbort) return;
    pending.onAbort = () => {
      const reason = extra.signal.reason as { name?: unknown; message?: unknown } | undefined;
      const message = String(reason?.message ?? reason ?? 'cancelled');
      this.send({ t: 'cancel', id, reason: { message, ...(typeof reason?.name === 'string' ? { name: reason.name } : {}) } });
      // The caller stops waiting now (a late answer is dropped): a handler ignoring its signal cannot pile calls up here.
      this.settle(id, false, undefined, { message: `cancelled: ${message}` });
    };
    if (extra.signal.aborted) pending.onAbort();
    else extra.signal.addEventListener('abort', pending.onAbort, { once: true });
  }

  private settle(id: number, ok: boolean, value: unknown, error: WireError | undefined): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    if (pending.onAbort) pending.extra!.signal.removeEventListener('abort', pending.onAbort);
    const finish = ok
      ? () => pending.resolve(value)
      : () => pending.reject(Object.assign(new Error(error?.message ?? 'failed'), error?.code ? { code: error.code } : {}));
    // A turn of the event loop after the last notification: the SDK client handles notifications a microtask
    // late, so a result read in the same chunk would remove the call's progress handler first.
    if (pending.notes) void pending.notes.then(() => new Promise((resolve) => setImmediate(resolve))).then(finish);
    else finish();
  }

  private receive(message: GuestMessage): void {
    switch (message.t) {
      case 'done':
        return this.settle(message.id, message.ok, message.value, message.error);
      case 'pong':
        this.lastPong = Date.now();
        return;
      case 'ready':
        return this.onReady?.();
      case 'watch-signal':
        return this.watchSignal(message.call);
      case 'progress':
        return this.note(message.call, (extra) => extra.sendProgress(...message.args));
      case 'client-log':
        return this.note(message.call, (extra) => extra.log(message.level, message.data));
      case 'request': {
        const extra = message.call === undefined ? undefined : this.pending.get(message.call)?.extra;
        this.events.request(message.op, message.params, extra).then(
          (value) => this.send({ t: 'reply', id: message.id, ok: true, value }),
          (error) => this.send({ t: 'reply', id: message.id, ok: false, error: toWireError(error) }),
        );
        return;
      }
      default:
        this.events.message(message);
    }
  }

  /** Sends a call's notification in order, ahead of its result. */
  private note(call: number, send: (extra: RequestExtra) => Promise<void>): void {
    const pending = this.pending.get(call);
    const extra = pending?.extra;
    if (!pending || !extra) return;
    pending.notes = (pending.notes ?? Promise.resolve()).then(() => send(extra)).catch(() => {});
  }

  private startHeartbeat(): void {
    this.lastPong = Date.now();
    this.heartbeat = setInterval(() => this.beat(), Math.max(50, Math.floor(this.unresponsiveMs / 5)));
    this.heartbeat.unref();
  }

  private beat(): void {
    const silent = Date.now() - this.lastPong;
    if (silent > this.unresponsiveMs) {
      this.killReason = `unresponsive for ${silent} ms (a busy loop?), terminated`;
      clearInterval(this.heartbeat);
      void this.boundary.terminate();
      return;
    }
    const message: HostMessage & { t: 'ping' } = { t: 'ping', n: ++this.ping };
    const capabilities = this.snapshot.capabilities();
    if (capabilities !== this.sentCapabilities) message.capabilities = this.sentCapabilities = capabilities;
    const status = this.snapshot.status();
    const json = JSON.stringify(status);
    if (json !== this.sentStatus) {
      this.sentStatus = json;
      message.status = status;
    }
    this.send(message);
  }

  private send(message: HostMessage): void {
    try {
      this.boundary.send(message);
    } catch (error) {
      // Only a value that cannot be cloned lands here: fail that request, not the guest.
      if ('id' in message && message.t !== 'reply') this.settle(message.id, false, undefined, { message: `cannot send to the plugin: ${(error as Error).message}` });
    }
  }

  private exited(reason: string): void {
    this.gone = reason;
    clearInterval(this.heartbeat);
    const error = this.goneError();
    for (const [id, pending] of [...this.pending]) {
      this.pending.delete(id);
      if (pending.onAbort) pending.extra!.signal.removeEventListener('abort', pending.onAbort);
      pending.reject(error);
    }
    if (!this.ending) this.events.exit(reason);
  }

  private goneError(): Error {
    const what = this.ending ? `was stopped (${this.gone})` : `crashed: ${this.gone}`;
    return Object.assign(new Error(`${this.describe} ${what}; the request did not complete`), { code: 'PLUGIN_CRASHED' });
  }
}
