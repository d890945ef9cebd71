import type { HostConfig } from '../config/config-types.js';
import { findConfigFile } from '../config/find-config-file.js';
import { toolListFilter } from '../host-plugin/meta-tools.js';
import { Registry } from '../registry/registry.js';
import { isLoopback } from '../server/http/origin-check.js';
import { HttpServer } from '../server/http-server.js';
import { McpFrontend } from '../server/mcp-frontend.js';
import { SessionHub } from '../server/session-hub.js';
import { SubscriptionCounts } from '../server/subscription-counts.js';

/** After SIGTERM/SIGINT the process is gone within this, whatever plugins or clients do (the promise is 5 s). */
const EXIT_DEADLINE_MS = 4000;

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
export async function serveHttp(listen: string, configFlag: string | undefined, watchFlag: boolean, stateless: boolean): Promise<number | void> {
  const address = parseListen(listen);
  if (!address) {
    process.stderr.write(`mcp-host serve: --http expects [HOST:]PORT (e.g. 8080, 0.0.0.0:8080, [::1]:8080), got "${listen}"\n`);
    return 2;
  }
  const { createHost } = await import('../host.js');
  const { Reloader } = await import('../reload/reloader.js');
  const registry = new Registry();
  const hub = new SessionHub();
  // One count per URI across sessions: plugins hear the first subscriber and the last to leave.
  const subscriptions = new SubscriptionCounts();
  const host = createHost({ configPath: findConfigFile(configFlag), registry, channel: hub });
  const token = process.env.MCP_HOST_TOKEN || host.config.http.token || undefined;
  if (!isLoopback(address.host) && !token) {
    process.stderr.write(
      `mcp-host serve: refusing to listen on ${address.host}: beyond loopback a bearer token is required (set MCP_HOST_TOKEN or "http": {"token": ...} in plugins.json)\n`,
    );
    return 1;
  }

  // Settings reach every live frontend on reload, and each new one when it is created.
  let current = host.config;
  let exposure: HostConfig['toolExposure'] = current.toolExposure;
  const frontends = new Set<McpFrontend>();
  let configLoaded = !host.configError;
  const apply = (frontend: McpFrontend, config: HostConfig) => {
    frontend.pageSize = config.listPageSize;
    frontend.readiness.waitMs = config.startupWaitMs;
    frontend.toolFilter = toolListFilter(config.toolExposure);
  };
  const settings = (config: HostConfig) => {
    // Ready once a plugins.json has loaded, at start-up or by a later fix (a refused edit keeps the last good one).
    if (!host.configError) configLoaded = true;
    current = config;
    const switched = config.toolExposure !== exposure;
    exposure = config.toolExposure;
    for (const frontend of frontends) {
      apply(frontend, config);
      if (switched) frontend.toolListChanged();
    }
  };
  let settled = false;
  const started = host.start().finally(() => (settled = true));
  const createFrontend = () => {
    const frontend = new McpFrontend(registry, subscriptions);
    apply(frontend, current);
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
  host.logger.info(`mcp-host serving over HTTP with ${host.config.path}`);
  if (host.configError) host.logger.error(`plugins.json not loaded, serving only the host's own tools: ${host.configError}`);

  const reloader = new Reloader(host, hub, settings);
  if (watchFlag && host.config.watch) void reloader.watch().catch((error) => host.logger.warn(`file watching unavailable: ${error?.message ?? error}`));
  process.on('SIGHUP', () => {
    host.logger.info('SIGHUP: reloading the configuration and every plugin');
    void reloader.reloadAll();
  });

  let stopping = false;
  const stop = (why: string) => {
    if (stopping) return;
    stopping = true;
    host.logger.info(`shutting down (${why}): closing ${server.sessions.size} session(s)`);
    setTimeout(() => process.exit(0), EXIT_DEADLINE_MS).unref();
    void Promise.allSettled([server.close(), reloader.close()])
      .then(() => host.stop(EXIT_DEADLINE_MS - 1000))
      .finally(() => process.exit(0));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('uncaughtException', (error) => host.logger.error(`uncaught exception (daemon keeps serving): ${error?.stack ?? error}`));
  process.on('unhandledRejection', (error) => host.logger.error(`unhandled rejection (daemon keeps serving): ${(error as Error)?.stack ?? error}`));
}
