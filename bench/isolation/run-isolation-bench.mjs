#!/usr/bin/env node
// Isolation benchmark (issue 8):
// 1. per-call cost of worker and process isolation vs in-process: one daemon serving the echo fixture three
//    times (isolation in-process / worker / process), tools/call sequential and 16 in flight, the modes alternating in short slices within each round
//    (overhead = median of the rounds' own differences);
// 2. the daemon's RSS over 200 code reloads and 200 config reloads of a worker-isolated plugin.
// Drives the BUILT daemon (npm run build first) over stdio with raw JSON-RPC.
//   node bench/isolation/run-isolation-bench.mjs [--quick]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchDir, fixturePluginDir, removeWorkFolder, workFolder } from '../lib/configs.mjs';
import { driveCalls } from '../lib/drive-calls.mjs';
import { ServerProcess } from '../lib/server-process.mjs';
import { startHost } from '../lib/sides.mjs';
import { median } from '../lib/stats.mjs';
import { memoryScenario } from '../reload/scenarios/memory.mjs';

const RESULTS_PATH = fileURLToPath(new URL('../results/isolation.json', import.meta.url));
const MODES = ['in-process', 'worker', 'process'];
const ARGS = { text: 'hello from the bench' };
export const TARGETS = { workerOverheadUs: 50, rssGrowthMB: 10 };

const tool = (mode) => `${mode.replace('-', '')}__echo`;

/** The bare servers measured beside the host: one thread hop without any host (bench/servers/bare-thread-hop.mjs). */
const BARE = ['bare-direct', 'bare-worker'];

async function overhead({ rounds, warmup, slicesPerMode, sliceMs, log }) {
  const plugins = Object.fromEntries(MODES.map((mode) => [mode.replace('-', ''), { plugin: 'echo', isolation: mode }]));
  const configPath = join(workFolder(), 'isolation.plugins.json');
  writeFileSync(configPath, JSON.stringify({ pluginDirs: [fixturePluginDir], logLevel: 'warn', plugins }, null, 2));
  const host = startHost(configPath);
  const hop = join(benchDir, 'servers', 'bare-thread-hop.mjs');
  const bare = Object.fromEntries(BARE.map((name) => [name, new ServerProcess(name, [hop, name.slice('bare-'.length)])]));
  const targets = [...MODES.map((mode) => ({ name: mode, server: host, tool: tool(mode) })), ...BARE.map((name) => ({ name, server: bare[name], tool: 'echo' }))];
  const runs = Object.fromEntries(targets.map((t) => [t.name, { 1: [], 16: [] }]));
  try {
    for (const server of [host, ...Object.values(bare)]) await server.handshake();
    for (const { server, tool: name } of targets) {
      const check = await server.request('tools/call', { name, arguments: ARGS });
      if (check.message.result?.content?.[0]?.text !== ARGS.text) throw new Error(`${name} did not echo: ${JSON.stringify(check.message).slice(0, 300)}`);
      for (const c of [1, 16]) await driveCalls(server, { tool: name, args: ARGS, total: warmup, concurrency: c, timeLimitMs: 30_000 });
    }
    // Per round, each concurrency is measured in short slices that rotate through the targets: the machine's speed
    // drifts within seconds, and every target should see the same drift.
    for (let round = 0; round < rounds; round++) {
      for (const c of [1, 16]) {
        const sum = Object.fromEntries(targets.map((t) => [t.name, { calls: 0, ms: 0 }]));
        for (let slice = 0; slice < targets.length * slicesPerMode; slice++) {
          const { name, server, tool: toolName } = targets[(slice + round) % targets.length];
          const run = await driveCalls(server, { tool: toolName, args: ARGS, total: Number.MAX_SAFE_INTEGER, concurrency: c, timeLimitMs: sliceMs });
          if (run.errors) throw new Error(`${toolName}: ${run.errors} errors, first: ${run.firstError}`);
          sum[name].calls += run.done;
          sum[name].ms += run.ms;
        }
        for (const { name } of targets) runs[name][c].push(sum[name].calls / (sum[name].ms / 1000));
      }
      log(`isolation bench: call round ${round + 1}/${rounds}`);
    }
  } finally {
    await Promise.all([host, ...Object.values(bare)].map((server) => server.close()));
  }
  const out = {};
  for (const { name } of targets) {
    const seq = median(runs[name][1]);
    const par = median(runs[name][16]);
    out[name] = { sequentialCallsPerSec: seq, sequentialUsPerCall: 1e6 / seq, inflight16CallsPerSec: par, inflight16UsPerCall: 1e6 / par };
  }
  // Each round's own difference (its targets measured side by side), then the median of those.
  const difference = (name, base, c) => median(runs[name][c].map((rate, i) => 1e6 / rate - 1e6 / runs[base][c][i]));
  for (const name of MODES) {
    out[name].overheadUsSequential = difference(name, 'in-process', 1);
    out[name].overheadUs16 = difference(name, 'in-process', 16);
  }
  out['bare-worker'].overheadUsSequential = difference('bare-worker', 'bare-direct', 1);
  out['bare-worker'].overheadUs16 = difference('bare-worker', 'bare-direct', 16);
  out['bare-direct'].overheadUsSequential = out['bare-direct'].overheadUs16 = 0;
  return out;
}

function format(results) {
  const f = (n, d = 0) => (n === undefined ? '-' : n.toFixed(d));
  const lines = ['', `isolation bench (node ${results.node}, medians of ${results.rounds} rounds)`, ''];
  lines.push('| isolation | seq calls/s | seq µs/call | +µs vs in-process | 16 in flight calls/s | µs/call | +µs |');
  lines.push('|---|---|---|---|---|---|---|');
  for (const mode of [...MODES, ...BARE]) {
    const m = results.overhead[mode];
    lines.push(`| ${mode} | ${f(m.sequentialCallsPerSec)} | ${f(m.sequentialUsPerCall)} | ${f(m.overheadUsSequential)} | ${f(m.inflight16CallsPerSec)} | ${f(m.inflight16UsPerCall, 1)} | ${f(m.overheadUs16, 1)} |`);
  }
  lines.push(`target: worker ≤ +${TARGETS.workerOverheadUs} µs per call`);
  lines.push('bare-direct / bare-worker: a minimal server without the host answering on its main thread / through one worker hop (bare-worker\'s +µs is vs bare-direct): the floor of a thread hop here', '');
  lines.push('| worker-isolated plugin, 200 reloads | RSS before | RSS after | growth | target |', '|---|---|---|---|---|');
  for (const [kind, m] of Object.entries(results.memory)) {
    lines.push(`| ${kind} reloads (${m.reloads}, ${m.timeouts} without list_changed) | ${f(m.before.rssMB, 1)} MB | ${f(m.after.rssMB, 1)} MB | ${f(m.rssGrowthMB, 1)} MB | < ${TARGETS.rssGrowthMB} MB |`);
  }
  return lines.join('\n');
}

async function main() {
  const quick = process.argv.includes('--quick');
  const log = (line) => process.stderr.write(line + '\n');
  const results = { date: new Date().toISOString(), node: process.version, rounds: quick ? 2 : 5, targets: TARGETS };
  try {
    results.overhead = await overhead({ rounds: results.rounds, warmup: quick ? 300 : 1000, slicesPerMode: quick ? 2 : 4, sliceMs: quick ? 300 : 500, log });
  } finally {
    removeWorkFolder();
  }
  results.memory = {};
  for (const kind of ['code', 'config']) {
    log(`isolation bench: RSS over ${kind} reloads of a worker plugin...`);
    results.memory[kind] = await memoryScenario({ kind, reloads: quick ? 30 : 200, isolation: 'worker' });
  }
  mkdirSync(dirname(RESULTS_PATH), { recursive: true });
  writeFileSync(RESULTS_PATH, JSON.stringify(results, null, 2) + '\n');
  process.stdout.write(format(results) + `\nwritten to ${RESULTS_PATH}\n`);
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`isolation bench failed: ${error?.stack ?? error}\n`);
    process.exit(1);
  },
);
