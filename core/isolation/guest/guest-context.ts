import type { ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';
import type { PluginContext, PluginLogger, Registration } from '../../api/plugin-api.js';
import { HOST_INFO, HOST_STATUS, INSTANCE_ID, PLUGIN_CONFIG, PLUGIN_CONTEXT, PLUGIN_LOGGER, type InstanceStatus } from '../../api/tokens.js';
import { resolvePath } from '../../config/resolve-path.js';
import { createRootContainer } from '../../di/container.js';
import type { GuestInit, GuestMessage, RegistrationKind } from '../wire.js';

/** What the guest context needs from the guest runtime. */
export interface GuestServices {
  send(message: GuestMessage): void;
  request(op: 'listRoots', params?: unknown): Promise<unknown>;
  /** The functions of everything registered, by registration id. */
  registrations: Map<number, Record<string, unknown>>;
  disposeHooks: (() => Promise<void> | void)[];
  mirror: { capabilities?: ClientCapabilities; status: InstanceStatus[] };
  /** Set here: tells the plugin's listeners that the client's roots changed. */
  rootsChanged?: () => void;
}

/** The same `ctx` an in-process plugin gets, with every host service reached across the boundary. */
export function createGuestContext(init: GuestInit, services: GuestServices): PluginContext {
  const { send, registrations, mirror } = services;
  let nextReg = 0;
  const rootsListeners = new Set<() => void>();
  const register = (kind: RegistrationKind, def: object): Registration => {
    const reg = ++nextReg;
    const plain: Record<string, unknown> = {};
    const fns: string[] = [];
    for (const [key, value] of Object.entries(def)) {
      if (typeof value === 'function') fns.push(key);
      else if (value !== undefined) plain[key] = value;
    }
    registrations.set(reg, def as Record<string, unknown>);
    send({ t: 'register', reg, kind, def: plain, fns });
    return {
      remove: () => {
        if (registrations.delete(reg)) send({ t: 'unregister', reg });
      },
    };
  };
  const log = (level: 'error' | 'warn' | 'info' | 'debug') => (message: string, meta?: Record<string, unknown>) => {
    try {
      send({ t: 'log', level, message: String(message), ...(meta ? { meta } : {}) });
    } catch {
      send({ t: 'log', level, message: String(message) }); // meta that cannot be cloned
    }
  };
  const logger: PluginLogger = { error: log('error'), warn: log('warn'), info: log('info'), debug: log('debug') };
  const container = createRootContainer();
  const ctx: PluginContext = {
    instanceId: init.instanceId,
    namespace: init.namespace,
    pluginId: init.pluginId,
    config: init.config,
    logger,
    container,
    resolvePath: (p) => resolvePath(p, init.baseDir),
    status: { warn: (message) => send({ t: 'status', warn: String(message) }), clear: () => send({ t: 'status' }) },
    client: {
      capabilities: () => mirror.capabilities,
      listRoots: () => services.request('listRoots') as ReturnType<PluginContext['client']['listRoots']>,
      onRootsChanged: (listener) => {
        if (rootsListeners.size === 0) send({ t: 'watch-roots' });
        rootsListeners.add(listener);
        return () => rootsListeners.delete(listener);
      },
    },
    tools: { register: (tool) => register('tool', tool) },
    resources: {
      register: (resource) => register('resource', resource),
      registerTemplate: (template) => register('template', template),
      notifyUpdated: (uri) => send({ t: 'updated', uri }),
    },
    prompts: { register: (prompt) => register('prompt', prompt) },
    onDispose: (hook) => void services.disposeHooks.push(hook),
  };
  container.register(PLUGIN_CONTEXT, { useValue: ctx });
  container.register(PLUGIN_CONFIG, { useValue: init.config });
  container.register(PLUGIN_LOGGER, { useValue: logger });
  container.register(INSTANCE_ID, { useValue: init.instanceId });
  container.register(HOST_INFO, { useValue: init.hostInfo });
  // A mirror refreshed with the heartbeat: list() stays synchronous, as in-process.
  container.register(HOST_STATUS, { useValue: { list: () => mirror.status, configError: () => undefined } });
  services.rootsChanged = () => rootsListeners.forEach((listener) => listener());
  return ctx;
}
