import type { HostConfig } from '../config/config-types.js';
import { findConfigFile } from '../config/find-config-file.js';
import { Registry } from '../registry/registry.js';
import { isLoopback } from '../server/http/origin-check.js';
import { HttpServer } from '../server/http-server.js';
import { McpFrontend } from '../server/mcp-frontend.js';
import { SessionHub } from '../server/session-hub.js';
import { SubscriptionCounts } from '../server/subscription-counts.js';


/** `[HOST:]PORT` → host and port; the host defaults to loopback. IPv6 hosts are written in brackets. */
export function parseListen(value: string): { host: string; port: number } | undefined {
  const match = /^(?:(\[[0-9a-fA-F:.]+\]|[^:[\]]+):)?(\d{1,5})$/.exec(value.trim());
  if (!match) return undefined;
  const port = Number(match[2]);
  if (port > 65535) return undefined;
  return { host: (match[1] ?? '127.0.0.1').replace(/^\[|\]$/g, ''), port };
}

/**
 * The HTTP daemon: ONE host (registry, plugins, reloader) shared by every session. Each session (or, stateless,
 * each request) gets its own McpFrontend over the shared registry; the SessionHub is the host's one channel and
 * fans notifications out to every live session.
 */
export async function serveHttp(listen: string, configFlag: string | undefined, watchFlag: boolean, stateless: boolean, auditFile?: string): Promise<number | void> {
  const address = parseListen(listen);
  if (!address) {
    process.stderr.write(`mcp-host serve: --http expects [HOST:]PORT (e.g. 8080, 0.0.0.0:8080, [::1]:8080), got "${listen}"\n`);
    return 2;
  }
  const { createHost } = await import('../host.js');
  const { configureFrontend, runHost } = await import('./host-runtime.js');
  const registry = new Registry();
  const hub = new SessionHub();
  // One count per URI across sessions: plugins hear the first subscriber and the last to leave.
  const subscriptions = new SubscriptionCounts();
  const host = createHost({ configPath: findConfigFile(configFlag), registry, channel: hub, auditFile });
  const token = process.env.MCP_HOST_TOKEN || host.config.http.token || undefined;
  if (!isLoopback(address.host) && !token) {
    process.stderr.write(
      `mcp-host serve: refusing to listen on ${address.host}: beyond loopback a bearer token is required (set MCP_HOST_TOKEN or "http": {"token": ...} in plugins.json)\n`,
    );
    return 1;
  }

  // Settings reach every live frontend on reload, and each new one when it is created.
  let current = host.config;
  const frontends = new Set<McpFrontend>();
  let configLoaded = !host.configError;
  const settings = (config: HostConfig) => {
    // Ready once a plugins.json has loaded, at start-up or by a later fix (a refused edit keeps the last good one).
    if (!host.configError) configLoaded = true;
    current = config;
    for (const frontend of frontends) configureFrontend(frontend, config);
  };
  let settled = false;
  const started = host.start().finally(() => (settled = true));
  const createFrontend = () => {
    const frontend = new McpFrontend(registry, subscriptions);
    configureFrontend(frontend, current);
    frontend.readiness.track(started);
    frontends.add(frontend);
    const dispose = frontend.dispose.bind(frontend);
    frontend.dispose = () => {
      frontends.delete(frontend);
      dispose();
    };
    return frontend;
  };

  const server = new HttpServer({
    host: address.host,
    port: address.port,
    stateless,
    token,
    settings: host.config.http,
    createFrontend,
    hub,
    ready: () => configLoaded && settled,
    logger: host.logger,
  });
  let port: number;
  try {
    port = await server.listen();
  } catch (error) {
    process.stderr.write(`mcp-host serve: cannot listen on ${listen}: ${(error as Error).message}\n`);
    await host.stop(1000).catch(() => {});
    return 1;
  }
  const shown = address.host.includes(':') ? `[${address.host}]` : address.host;
  // Unconditional (whatever the log level): scripts and tests read the bound port from it.
  process.stderr.write(`mcp-host: listening on http://${shown}:${port}/mcp (${stateless ? 'stateless' : 'sessions'}${token ? ', bearer token required' : ''})\n`);
  const stop = runHost(host, { channel: hub, serving: 'over HTTP', watch: watchFlag, started, onConfig: settings, closeTransport: () => server.close() });
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
