/**
 * The built-in `mcp-server` plugin: mounts an existing MCP server (stdio command or Streamable HTTP
 * URL) as an instance, everything it offers passed through under the instance's namespace.
 * See README.md; connection.ts for the lifecycle, process-tree.ts for how its processes are reaped.
 */
import type { PluginContext, PluginModule } from '../../core/api/index.js';
import type { McpServerConfig } from './config.js';
import { Connection } from './connection.js';

/** On a reload (this instance served before in this process), start waits this long for the new catalog, so the swap does not leave a gap. */
const RELOAD_CATALOG_WAIT_MS = 10_000;

const plugin: PluginModule<McpServerConfig> = {
  register(ctx: PluginContext<McpServerConfig>) {
    // Nothing to declare yet: the server's catalog is registered as it becomes known.
    const connection = new Connection(ctx);
    connections.set(ctx, connection);
    ctx.onDispose(() => connection.stop());
  },

  async start(ctx: PluginContext<McpServerConfig>) {
    const connection = connections.get(ctx)!;
    connection.start();
    const reload = startedBefore().has(ctx.instanceId);
    startedBefore().add(ctx.instanceId);
    const wait = reload ? Math.max(ctx.config.catalogWaitMs, Math.min(ctx.config.connectTimeoutMs, RELOAD_CATALOG_WAIT_MS)) : ctx.config.catalogWaitMs;
    if (wait > 0) await Promise.race([connection.firstAttempt, new Promise((resolve) => setTimeout(resolve, wait).unref())]);
  },

  async stop(ctx: PluginContext<McpServerConfig>) {
    await connections.get(ctx)?.stop();
  },
};

// Two instances share this module: nothing per instance is kept at module level.
const connections = new WeakMap<PluginContext<McpServerConfig>, Connection>();

/** Instances started before in this process, across reloads of this module (which evaluate it again). */
function startedBefore(): Set<string> {
  const key = Symbol.for('mcp-plugin-host.mcp-server.started-instances');
  const holder = globalThis as unknown as Record<symbol, Set<string> | undefined>;
  return (holder[key] ??= new Set());
}

export default plugin;
