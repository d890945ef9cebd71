import type { IsolationMode, IsolationSetting } from '../config/config-types.js';

/** An instance's isolation settings with the defaults filled in. */
export interface IsolationOptions {
  mode: IsolationMode;
  /** Heap limit of the worker or process (undefined: Node's default). */
  memoryLimitMb?: number;
  /** Heartbeats missed for this long mean the guest's event loop is stuck: it is terminated and restarted. */
  unresponsiveMs: number;
  /** This many crashes within `crashWindowMs` open the circuit. */
  maxCrashes: number;
  crashWindowMs: number;
  /** How long an open circuit waits before one half-open retry. */
  cooldownMs: number;
}

/**
 * Built-in plugins are the host's own code and run in-process (fastest). Plugins dropped into a plugin folder are
 * third-party code: they get a worker thread by default, so a busy loop or a leak cannot take the daemon with it.
 */
export function defaultMode(builtin: boolean): IsolationMode {
  return builtin ? 'in-process' : 'worker';
}

export function isolationOptions(setting: IsolationSetting | undefined, builtin: boolean): IsolationOptions {
  const given = typeof setting === 'string' ? { mode: setting } : (setting ?? { mode: defaultMode(builtin) });
  return {
    mode: given.mode,
    memoryLimitMb: 'memoryLimitMb' in given ? given.memoryLimitMb : undefined,
    unresponsiveMs: ('unresponsiveMs' in given && given.unresponsiveMs) || 5000,
    maxCrashes: ('maxCrashes' in given && given.maxCrashes) || 3,
    crashWindowMs: ('crashWindowMs' in given && given.crashWindowMs) || 60_000,
    cooldownMs: ('cooldownMs' in given && given.cooldownMs) || 30_000,
  };
}
