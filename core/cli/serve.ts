import type { HostConfig } from '../config/config-types.js';
import { findConfigFile } from '../config/find-config-file.js';
import { Registry } from '../registry/registry.js';
import { McpFrontend } from '../server/mcp-frontend.js';
import { requestEntry } from '../server/request-entry.js';
import { StdioTransport } from '../server/stdio-transport.js';
import { installStdoutGuard } from '../server/stdout-guard.js';

/** Plugins start loading after the client's `initialized`, or after this if none arrives. */
const HANDSHAKE_WAIT_MS = 250;

/**
 * The stdio daemon. `initialize` is answered as soon as the transport is up; config, logger and
 * plugins load after that, and the first list waits (bounded) for them.
 */
export async function serve(configFlag: string | undefined, watchFlag = true, auditFile?: string): Promise<void> {
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
  const transport = new StdioTransport(out);
  await frontend.connect(transport);
  transport.entry = requestEntry(frontend.server);
  // Loading the host and its plugins is synchronous work for long stretches; doing it while the
  // client's initialize waits would delay the answer. Start once the handshake is done (or soon anyway).
  await new Promise<void>((resolve) => {
    setTimeout(resolve, HANDSHAKE_WAIT_MS).unref();
    frontend.server.oninitialized = resolve;
  });

  const { createHost } = await import('../host.js');
  const { configureFrontend, runHost } = await import('./host-runtime.js');
  const host = createHost({ configPath: findConfigFile(configFlag), registry, channel: frontend.channel, auditFile });
  const onConfig = (config: HostConfig) => configureFrontend(frontend, config);
  onConfig(host.config);
  const started = host.start();
  frontend.readiness.track(started);
  stop = runHost(host, { channel: frontend.channel, serving: 'on stdio', watch: watchFlag, started, onConfig });
  if (early) stop(early);
}
