/**
 * The messages that cross the isolation boundary (worker `postMessage` or child-process IPC with
 * structured-clone serialization). The plugin API was designed for this: every ctx function is async
 * or fire-and-forget, and every value is plain data.
 */
import type { ClientCapabilities, LoggingLevel } from '@modelcontextprotocol/sdk/types.js';
import type { HostInfo, InstanceStatus } from '../api/tokens.js';
import type { StopReason } from '../api/plugin-api.js';

/** What a guest needs to load and run its plugin. */
export interface GuestInit {
  entry: string;
  instanceId: string;
  namespace: string;
  pluginId: string;
  config: Record<string, unknown>;
  baseDir: string;
  hostInfo: HostInfo;
  capabilities?: ClientCapabilities;
  status: InstanceStatus[];
}

export type RegistrationKind = 'tool' | 'resource' | 'template' | 'prompt';

/** A thrown error, flattened. */
export interface WireError {
  message: string;
  code?: string;
}

/** Host → guest. */
export type HostMessage =
  | { t: 'init'; init: GuestInit }
  | { t: 'phase'; id: number; phase: 'register' | 'start' | 'stop'; reason?: StopReason }
  | { t: 'invoke'; id: number; reg: number; fn: string; args: unknown[]; extra: boolean }
  | { t: 'cancel'; id: number; reason: WireError & { name?: string } }
  | { t: 'reply'; id: number; ok: boolean; value?: unknown; error?: WireError }
  | { t: 'ping'; n: number; capabilities?: ClientCapabilities; status?: InstanceStatus[] }
  | { t: 'roots-changed' };

/** Guest → host. */
export type GuestMessage =
  | { t: 'ready' }
  | { t: 'done'; id: number; ok: boolean; value?: unknown; error?: WireError }
  | { t: 'register'; reg: number; kind: RegistrationKind; def: Record<string, unknown>; fns: string[] }
  | { t: 'unregister'; reg: number }
  | { t: 'updated'; uri: string }
  | { t: 'log'; level: 'error' | 'warn' | 'info' | 'debug'; message: string; meta?: Record<string, unknown> }
  | { t: 'status'; warn?: string }
  | { t: 'request'; id: number; op: 'listRoots' | 'elicit' | 'createMessage'; call?: number; params?: unknown }
  | { t: 'progress'; call: number; args: [number, number?, string?] }
  | { t: 'client-log'; call: number; level: LoggingLevel; data: unknown }
  | { t: 'pong'; n: number }
  /** The handler of call `call` read its signal: from now on the host forwards that call's cancellation. */
  | { t: 'watch-signal'; call: number }
  | { t: 'watch-roots' };

export function toWireError(error: unknown): WireError {
  const code = (error as { code?: unknown })?.code;
  return { message: error instanceof Error ? error.message : String(error), ...(typeof code === 'string' ? { code } : {}) };
}
