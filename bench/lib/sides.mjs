// How each side of a comparison is started: the built host daemon, or a bare SDK server.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchDir, repoDir, workFolder } from './configs.mjs';
import { ServerProcess } from './server-process.mjs';

/**
 * The daemon as installed: package.json's `bin` (what Claude Desktop runs), else the unbundled CLI.
 * BENCH_HOST_ENTRY points the bench at another build (an A/B experiment on a copy of dist/).
 */
export const hostEntry = process.env.BENCH_HOST_ENTRY || join(repoDir, JSON.parse(readFileSync(join(repoDir, 'package.json'), 'utf8')).bin?.['mcp-host'] ?? 'dist/core/cli/main.js');

/** The environment both sides run with: the caller's, minus the host's own overrides (the config decides). */
function childEnv() {
  const env = { ...process.env };
  delete env.MCP_HOST_LOG_LEVEL;
  delete env.MCP_HOST_CONFIG;
  delete env.NODE_OPTIONS;
  return env;
}

/** `entry` overrides the daemon script (the profiler uses the unbundled CLI so frames name their package). */
export function startHost(configPath, { nodeArgs, entry = hostEntry } = {}) {
  return new ServerProcess('host', [entry, 'serve', '--config', configPath], { nodeArgs, env: childEnv(), cwd: workFolder() });
}

/** SDK McpServer with one echo tool (bench/servers/bare-sdk-server.mjs). */
export function startBareEcho({ nodeArgs } = {}) {
  return new ServerProcess('bare', [join(benchDir, 'servers', 'bare-sdk-server.mjs')], { nodeArgs, env: childEnv(), cwd: workFolder() });
}

/** SDK low-level Server listing the `many` tools (bench/servers/bare-list-server.mjs). */
export function startBareList(instances, perInstance, { nodeArgs } = {}) {
  return new ServerProcess('bare', [join(benchDir, 'servers', 'bare-list-server.mjs'), String(instances), String(perInstance)], { nodeArgs, env: childEnv(), cwd: workFolder() });
}

/** Alternates which side goes first: round 0 host first, round 1 bare first, ... */
export function sideOrder(round) {
  return round % 2 === 0 ? ['host', 'bare'] : ['bare', 'host'];
}
