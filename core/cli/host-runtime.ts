import type { HostConfig } from '../config/config-types.js';
import { toolListFilter } from '../host-plugin/meta-tools.js';
import type { Host } from '../host.js';
import type { HostChannel } from '../plugins/host-channel.js';
import { Reloader } from '../reload/reloader.js';
import type { McpFrontend } from '../server/mcp-frontend.js';

/** After a shutdown request the process is gone within this, whatever plugins or clients do (the promise is 5 s). */
export const EXIT_DEADLINE_MS = 4000;

/** Applies the config's list settings (page size, first-list wait, toolExposure) to one frontend. */
export function configureFrontend(frontend: McpFrontend, config: HostConfig): void {
  frontend.configure(config, config.toolExposure, toolListFilter(config.toolExposure));
}

/**
 * What every transport does once its host exists: say where it serves, follow file changes and SIGHUP,
 * keep serving through stray errors. Returns the shutdown function: stop the transport and the watcher,
 * stop plugins within the exit deadline, exit.
 */
export function runHost(
  host: Host,
  options: {
    channel: HostChannel;
    serving: string;
    watch: boolean;
    /** The host's start: watching begins once plugins have settled (at most startupWaitMs), so its first scan does not delay the first list. */
    started: Promise<unknown>;
    onConfig(config: HostConfig): void;
    closeTransport?: () => Promise<unknown>;
  },
): (why: string) => void {
  host.logger.info(`mcp-host serving ${options.serving} with ${host.config.path}`);
  if (host.configError) host.logger.error(`plugins.json not loaded, serving only the host's own tools: ${host.configError}`);
  const reloader = new Reloader(host, options.channel, options.onConfig);
  if (options.watch && host.config.watch) {
    const bound = new Promise((resolve) => setTimeout(resolve, host.config.startupWaitMs).unref());
    void Promise.race([options.started, bound])
      .finally(() => reloader.watch())
      .catch((error) => host.logger.warn(`file watching unavailable: ${error?.message ?? error}`));
  }
  process.on('SIGHUP', () => {
    host.logger.info('SIGHUP: reloading the configuration and every plugin');
    void reloader.reloadAll();
  });
  process.on('uncaughtException', (error) => host.logger.error(`uncaught exception (daemon keeps serving): ${error?.stack ?? error}`));
  process.on('unhandledRejection', (error) => host.logger.error(`unhandled rejection (daemon keeps serving): ${(error as Error)?.stack ?? error}`));

  let stopping = false;
  return (why) => {
    if (stopping) return;
    stopping = true;
    host.logger.info(`shutting down (${why})`);
    setTimeout(() => process.exit(0), EXIT_DEADLINE_MS).unref();
    void Promise.allSettled([options.closeTransport?.(), reloader.close()])
      .then(() => host.stop(EXIT_DEADLINE_MS - 1000))
      .finally(() => process.exit(0));
  };
}
