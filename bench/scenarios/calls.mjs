// Scenario 2: tools/call throughput and server CPU per call, sequential and 16 in flight, host → echo plugin vs bare McpServer.
import { echoConfig } from '../lib/configs.mjs';
import { driveCalls } from '../lib/drive-calls.mjs';
import { sideOrder, startBareEcho, startHost } from '../lib/sides.mjs';
import { median } from '../lib/stats.mjs';

const ARGS = { text: 'hello from the bench' };
const TOOLS = { host: 'echo__echo', bare: 'echo' };

async function measureSide(start, tool, { warmup, calls, concurrencies, timeLimitMs }) {
  const server = start();
  try {
    await server.handshake();
    const check = await server.request('tools/call', { name: tool, arguments: ARGS });
    if (check.message.result?.content?.[0]?.text !== ARGS.text) throw new Error(`${server.label}: ${tool} did not echo: ${JSON.stringify(check.message).slice(0, 300)}`);
    for (const concurrency of concurrencies) await driveCalls(server, { tool, args: ARGS, total: Math.ceil(warmup / concurrencies.length), concurrency, timeLimitMs });
    const out = {};
    for (const concurrency of concurrencies) {
      const cpuBefore = server.cpuMicros();
      const run = await driveCalls(server, { tool, args: ARGS, total: calls, concurrency, timeLimitMs });
      const cpuAfter = server.cpuMicros();
      out[concurrency] = {
        calls: run.done,
        errors: run.errors,
        firstError: run.firstError,
        timedOut: run.timedOut,
        ms: run.ms,
        callsPerSec: run.done / (run.ms / 1000),
        cpuPerCallUs: (cpuAfter - cpuBefore) / run.done,
      };
    }
    return out;
  } finally {
    await server.close();
  }
}

export async function callsScenario({ rounds, warmup, calls, concurrencies, timeLimitMs, progress }) {
  const config = echoConfig();
  const starters = { host: () => startHost(config), bare: () => startBareEcho() };
  const perRound = { host: [], bare: [] };
  for (let round = 0; round < rounds; round++) {
    for (const side of sideOrder(round)) {
      perRound[side].push(await measureSide(starters[side], TOOLS[side], { warmup, calls, concurrencies, timeLimitMs }));
    }
    progress(`tools/call round ${round + 1}/${rounds}`);
  }
  const summary = (side) =>
    Object.fromEntries(
      concurrencies.map((c) => {
        const runs = perRound[side].map((r) => r[c]);
        return [c, {
          callsPerSec: median(runs.map((r) => r.callsPerSec)),
          cpuPerCallUs: median(runs.map((r) => r.cpuPerCallUs)),
          calls: runs.reduce((n, r) => n + r.calls, 0),
          errors: runs.reduce((n, r) => n + r.errors, 0),
          firstError: runs.find((r) => r.firstError)?.firstError,
          timedOutRounds: runs.filter((r) => r.timedOut).length,
        }];
      }),
    );
  return { tools: TOOLS, args: ARGS, host: summary('host'), bare: summary('bare'), rounds: perRound };
}
