import type { HostConfig } from '../config/config-types.js';
import { findConfigFile } from '../config/find-config-file.js';
import { toolListFilter } from '../host-plugin/meta-tools.js';
import { Registry } from '../registry/registry.js';
import { McpFrontend } from '../server/mcp-frontend.js';
import { StdioTransport } from '../server/stdio-transport.js';
import { installStdoutGuard } from '../server/stdout-guard.js';

/** After a shutdown request the process is gone within this, whatever plugins do (the promise is 5 s: keep a margin). */
const EXIT_DEADLINE_MS = 4000;
/** Plugins start loading after the client's `initialized`, or after this if none arrives. */
const HANDSHAKE_WAIT_MS = 250;

/**
 * The stdio daemon. `initialize` is answered as soon as the transport is up; config, logger and
 * plugins load after that, and the first list waits (bounded) for them.
 */
export async function serve(configFlag: string | undefined, watchFlag = true): Promise<void> {
  const out = installStdoutGuard();
  const registry = new Registry();
  const frontend = new McpFrontend(registry);
  // Shutdown requests can come before the host exists (the client gone during the handshake): remember them.
  let stop: ((why: string) => void) | undefined;
  let early: string | undefined;
  const shutdown = (why: string) => (stop ? stop(why) : (early ??= why));
  frontend.server.onclose = () => shutdown('stdin closed');
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  await frontend.connect(new StdioTransport(out));
  // Loading the host and its plugins is synchronous work for long stretches; doing it while the
  // client's initialize waits would delay the answer. Start once the handshake is done (or soon anyway).
  await new Promise<void>((resolve) => {
    setTimeout(resolve, HANDSHAKE_WAIT_MS).unref();
    frontend.server.oninitialized = resolve;
  });

  const { createHost } = await import('../host.js');
  const { Reloader } = await import('../reload/reloader.js');
  const host = createHost({ configPath: findConfigFile(configFlag), registry, channel: frontend.channel });
  let exposure: HostConfig['toolExposure'] | undefined;
  const settings = (config: HostConfig) => {
    frontend.pageSize = config.listPageSize;
    frontend.readiness.waitMs = config.startupWaitMs;
    if (config.toolExposure === exposure) return;
    const switched = exposure !== undefined;
    exposure = config.toolExposure;
    frontend.toolFilter = toolListFilter(exposure);
    // A reload that only switches toolExposure changes tools/list too (within the reload's held burst).
    if (switched) frontend.toolListChanged();
  };
  settings(host.config);
  frontend.readiness.track(host.start());
  host.logger.info(`mcp-host serving on stdio with ${host.config.path}`);
  if (host.configError) host.logger.error(`plugins.json not loaded, serving only the host's own tools: ${host.configError}`);
  const reloader = new Reloader(host, frontend.channel, settings);
  if (watchFlag && host.config.watch) void reloader.watch().catch((error) => host.logger.warn(`file watching unavailable: ${error?.message ?? error}`));
  process.on('SIGHUP', () => {
    host.logger.info('SIGHUP: reloading the configuration and every plugin');
    void reloader.reloadAll();
  });

  let stopping = false;
  stop = (why: string) => {
    if (stopping) return;
    stopping = true;
    host.logger.info(`shutting down (${why})`);
    setTimeout(() => process.exit(0), EXIT_DEADLINE_MS).unref();
    void reloader
      .close()
      .then(() => host.stop(EXIT_DEADLINE_MS - 500))
      .finally(() => process.exit(0));
  };
  if (early) stop(early);
  process.on('uncaughtException', (error) => host.logger.error(`uncaught exception (daemon keeps serving): ${error?.stack ?? error}`));
  process.on('unhandledRejection', (error) => host.logger.error(`unhandled rejection (daemon keeps serving): ${(error as Error)?.stack ?? error}`));
}
