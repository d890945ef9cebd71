// Scenario 1: spawn → initialize answered, and spawn → first tools/list answered (what Claude Desktop waits for).
import { builtinConfig } from '../lib/configs.mjs';
import { sideOrder, startBareEcho, startHost } from '../lib/sides.mjs';
import { median } from '../lib/stats.mjs';

async function spawnOnce(start) {
  const server = start();
  try {
    const init = await server.handshake();
    const initMs = init.at - server.spawnedAt;
    const list = await server.request('tools/list', {});
    const listMs = list.at - server.spawnedAt;
    const cpuMs = server.cpuMicros() / 1000;
    return { initMs, listMs, cpuMs, tools: list.message.result.tools.length, server };
  } catch (error) {
    await server.close();
    throw error;
  }
}

/** What the host says about its instances (host__status), so a failed built-in is visible in the report. */
async function hostInstances(server) {
  const { message } = await server.request('tools/call', { name: 'host__status', arguments: {} });
  return (message.result.structuredContent?.instances ?? []).map((s) => ({ instance: s.instance, plugin: s.plugin, state: s.state, error: s.error?.message }));
}

export async function startupScenario({ runs, progress }) {
  const config = builtinConfig();
  const starters = { host: () => startHost(config.path), bare: () => startBareEcho() };
  // One unmeasured spawn per side: file cache and JIT caches warm, and the host's instance states checked.
  const warmHost = await spawnOnce(starters.host);
  const instances = await hostInstances(warmHost.server);
  await warmHost.server.close();
  await (await spawnOnce(starters.bare)).server.close();

  const samples = { host: [], bare: [] };
  for (let i = 0; i < runs; i++) {
    for (const side of sideOrder(i)) {
      const { server, ...sample } = await spawnOnce(starters[side]);
      await server.close();
      samples[side].push(sample);
    }
    progress(`startup ${i + 1}/${runs}`);
  }
  const summary = (side) => ({
    runs: samples[side].length,
    initMs: median(samples[side].map((s) => s.initMs)),
    firstListMs: median(samples[side].map((s) => s.listMs)),
    cpuToFirstListMs: median(samples[side].map((s) => s.cpuMs)),
    tools: samples[side][0]?.tools,
  });
  return { builtinPlugins: config.instances, hostInstances: instances, host: summary('host'), bare: summary('bare'), samples };
}
