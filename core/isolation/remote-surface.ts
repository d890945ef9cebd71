import type { PluginContext, Registration, RequestExtra } from '../api/plugin-api.js';
import type { RegistrationKind } from './wire.js';

/** One thing a guest registered, as the host holds it across restarts of the guest. */
interface RemoteEntry {
  /** The guest's id for it in the guest running now. */
  reg: number;
  /** Which guest run registered it last. */
  run: number;
  registration: Registration;
}

export type RemoteCall = (reg: number, fn: string, args: unknown[], extra: RequestExtra | undefined) => Promise<unknown>;

/**
 * Turns what a guest registers into registrations on the real `ctx`, whose functions call across the
 * boundary. After a restart the guest registers again: an entry it registers unchanged keeps its host
 * registration (no list_changed), the rest is added or removed.
 */
export class RemoteSurface {
  private readonly entries = new Map<string, RemoteEntry>();
  private readonly byReg = new Map<number, string>();
  private run = 0;
  /** The first registration the host refused during a register phase (a name collision). */
  refused?: Error;

  constructor(
    private readonly ctx: PluginContext,
    private readonly call: RemoteCall,
  ) {}

  /** A new guest run starts registering. */
  beginRun(): void {
    this.run++;
    this.byReg.clear();
    this.refused = undefined;
  }

  /** The new run finished registering: what it did not register again goes away. */
  endRun(): void {
    for (const [signature, entry] of [...this.entries]) {
      if (entry.run === this.run) continue;
      this.entries.delete(signature);
      entry.registration.remove();
    }
  }

  add(reg: number, kind: RegistrationKind, def: Record<string, unknown>, fns: string[]): void {
    const signature = `${kind}\u0000${JSON.stringify(def)}\u0000${fns.join(',')}`;
    const known = this.entries.get(signature);
    this.byReg.set(reg, signature);
    if (known) {
      known.reg = reg;
      known.run = this.run;
      return;
    }
    const entry: RemoteEntry = { reg, run: this.run, registration: { remove() {} } };
    const local: Record<string, unknown> = { ...def };
    for (const fn of fns) {
      local[fn] = (...args: unknown[]) => {
        const extra = isExtra(args[args.length - 1]) ? (args.pop() as RequestExtra) : undefined;
        return this.call(entry.reg, fn, args, extra);
      };
    }
    try {
      entry.registration = this.register(kind, local);
    } catch (error) {
      this.refused ??= error as Error;
      this.ctx.logger.error((error as Error).message);
      return;
    }
    this.entries.set(signature, entry);
  }

  remove(reg: number): void {
    const signature = this.byReg.get(reg);
    const entry = signature === undefined ? undefined : this.entries.get(signature);
    if (!entry || entry.reg !== reg) return;
    this.byReg.delete(reg);
    this.entries.delete(signature!);
    entry.registration.remove();
  }

  private register(kind: RegistrationKind, def: any): Registration {
    switch (kind) {
      case 'tool':
        return this.ctx.tools.register(def);
      case 'resource':
        return this.ctx.resources.register(def);
      case 'template':
        return this.ctx.resources.registerTemplate(def);
      case 'prompt':
        return this.ctx.prompts.register(def);
    }
  }
}

/** The host passes a RequestExtra as the last argument of handlers that take one. */
function isExtra(value: unknown): value is RequestExtra {
  // Not through `signal`: reading it makes the host build an AbortSignal the call may never need.
  return typeof value === 'object' && value !== null && typeof (value as RequestExtra).sendProgress === 'function' && typeof (value as RequestExtra).elicit === 'function';
}
