// Scenario 3: repeated tools/list of 2,000 tools (100 instances × 20), host vs a bare SDK low-level Server.
import { performance } from 'node:perf_hooks';
import { manyConfig } from '../lib/configs.mjs';
import { MANY_INSTANCES, MANY_TOOLS_PER_INSTANCE } from '../lib/many.mjs';
import { sideOrder, startBareList, startHost } from '../lib/sides.mjs';
import { median, quantile } from '../lib/stats.mjs';

function timedList(server) {
  const id = server.nextId++;
  const line = JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/list', params: {} }) + '\n';
  return new Promise((resolve, reject) => {
    const sentAt = performance.now();
    const timer = setTimeout(() => reject(new Error(`${server.label}: tools/list not answered in 30 s`)), 30_000);
    // Latency ends when the answer's last byte arrives, before the client parses it.
    server.sendRaw(id, line, (message, at, error) => {
      clearTimeout(timer);
      if (error) reject(error);
      else if (message.error) reject(new Error(`${server.label}: tools/list failed: ${JSON.stringify(message.error)}`));
      else resolve({ ms: at - sentAt, at, message });
    });
  });
}

async function measureSide(start, { warmup, lists, timeLimitMs }) {
  const server = start();
  try {
    await server.handshake();
    const first = await timedList(server);
    const firstListMs = first.at - server.spawnedAt;
    const tools = first.message.result.tools;
    const bytes = Buffer.byteLength(JSON.stringify(first.message));
    for (let i = 0; i < warmup; i++) await timedList(server);
    const latencies = [];
    const cpuBefore = server.cpuMicros();
    const deadline = performance.now() + timeLimitMs;
    while (latencies.length < lists && performance.now() < deadline) latencies.push((await timedList(server)).ms);
    const cpuAfter = server.cpuMicros();
    return { tools, toolCount: tools.length, bytes, firstListMs, latencies, cpuPerListMs: (cpuAfter - cpuBefore) / 1000 / latencies.length, pages: first.message.result.nextCursor ? 'more than one' : 'one' };
  } finally {
    await server.close();
  }
}

/** The host's list minus its own `host__*` tools must equal the bare list exactly (names, descriptions, schemas, order). */
function sameTools(hostTools, bareTools) {
  const plugin = hostTools.filter((t) => !t.name.startsWith('host__'));
  return JSON.stringify(plugin) === JSON.stringify(bareTools);
}

export async function listScenario({ rounds, warmup, lists, timeLimitMs, progress }) {
  const config = manyConfig();
  const starters = { host: () => startHost(config), bare: () => startBareList(MANY_INSTANCES, MANY_TOOLS_PER_INSTANCE) };
  const perRound = { host: [], bare: [] };
  for (let round = 0; round < rounds; round++) {
    for (const side of sideOrder(round)) perRound[side].push(await measureSide(starters[side], { warmup, lists: Math.ceil(lists / rounds), timeLimitMs }));
    progress(`tools/list round ${round + 1}/${rounds}`);
  }
  const summary = (side) => {
    const runs = perRound[side];
    const latencies = runs.flatMap((r) => r.latencies);
    return {
      tools: runs[0].toolCount,
      bytes: runs[0].bytes,
      pages: runs[0].pages,
      lists: latencies.length,
      medianMs: median(latencies),
      p95Ms: quantile(latencies, 0.95),
      cpuPerListMs: median(runs.map((r) => r.cpuPerListMs)),
      firstListAfterSpawnMs: median(runs.map((r) => r.firstListMs)),
    };
  };
  const identical = sameTools(perRound.host[0].tools, perRound.bare[0].tools);
  const result = { instances: MANY_INSTANCES, toolsPerInstance: MANY_TOOLS_PER_INSTANCE, sameToolsAsBare: identical, host: summary('host'), bare: summary('bare'), rounds: perRound };
  for (const side of ['host', 'bare']) for (const r of perRound[side]) delete r.tools; // 2,000 tools: not for the JSON file
  return result;
}
