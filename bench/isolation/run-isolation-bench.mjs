#!/usr/bin/env node
// Isolation benchmark (issue 8):
// 1. per-call cost of worker and process isolation vs in-process: one daemon serving the echo fixture three
//    times (isolation in-process / worker / process), tools/call sequential and 16 in flight, rounds rotated;
// 2. the daemon's RSS over 200 code reloads and 200 config reloads of a worker-isolated plugin.
// Drives the BUILT daemon (npm run build first) over stdio with raw JSON-RPC.
//   node bench/isolation/run-isolation-bench.mjs [--quick]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixturePluginDir, removeWorkFolder, workFolder } from '../lib/configs.mjs';
import { driveCalls } from '../lib/drive-calls.mjs';
import { startHost } from '../lib/sides.mjs';
import { median } from '../lib/stats.mjs';
import { memoryScenario } from '../reload/scenarios/memory.mjs';

const RESULTS_PATH = fileURLToPath(new URL('../results/isolation.json', import.meta.url));
const MODES = ['in-process', 'worker', 'process'];
const ARGS = { text: 'hello from the bench' };
export const TARGETS = { workerOverheadUs: 50, rssGrowthMB: 10 };

const tool = (mode) => `${mode.replace('-', '')}__echo`;

async function overhead({ rounds, calls, warmup, log }) {
  const plugins = Object.fromEntries(MODES.map((mode) => [mode.replace('-', ''), { plugin: 'echo', isolation: mode }]));
  const configPath = join(workFolder(), 'isolation.plugins.json');
  writeFileSync(configPath, JSON.stringify({ pluginDirs: [fixturePluginDir], logLevel: 'warn', plugins }, null, 2));
  const host = startHost(configPath);
  const runs = Object.fromEntries(MODES.map((m) => [m, { 1: [], 16: [] }]));
  try {
    await host.handshake();
    for (const mode of MODES) {
      const check = await host.request('tools/call', { name: tool(mode), arguments: ARGS });
      if (check.message.result?.content?.[0]?.text !== ARGS.text) throw new Error(`${tool(mode)} did not echo: ${JSON.stringify(check.message).slice(0, 300)}`);
      for (const c of [1, 16]) await driveCalls(host, { tool: tool(mode), args: ARGS, total: warmup, concurrency: c, timeLimitMs: 30_000 });
    }
    for (let round = 0; round < rounds; round++) {
      // Rotate the order so no mode always runs first (or last) in a round.
      const order = MODES.map((_, i) => MODES[(i + round) % MODES.length]);
      for (const mode of order) {
        for (const c of [1, 16]) {
          const run = await driveCalls(host, { tool: tool(mode), args: ARGS, total: calls, concurrency: c, timeLimitMs: 30_000 });
          if (run.errors) throw new Error(`${tool(mode)}: ${run.errors} errors, first: ${run.firstError}`);
          runs[mode][c].push(run.done / (run.ms / 1000));
        }
      }
      log(`isolation bench: call round ${round + 1}/${rounds}`);
    }
  } finally {
    await host.close();
  }
  const out = {};
  for (const mode of MODES) {
    const seq = median(runs[mode][1]);
    const par = median(runs[mode][16]);
    out[mode] = { sequentialCallsPerSec: seq, sequentialUsPerCall: 1e6 / seq, inflight16CallsPerSec: par, inflight16UsPerCall: 1e6 / par };
  }
  for (const mode of MODES) {
    out[mode].overheadUsSequential = out[mode].sequentialUsPerCall - out['in-process'].sequentialUsPerCall;
    out[mode].overheadUs16 = out[mode].inflight16UsPerCall - out['in-process'].inflight16UsPerCall;
  }
  return out;
}

function format(results) {
  const f = (n, d = 0) => (n === undefined ? '-' : n.toFixed(d));
  const lines = ['', `isolation bench (node ${results.node}, medians of ${results.rounds} rounds)`, ''];
  lines.push('| isolation | seq calls/s | seq µs/call | +µs vs in-process | 16 in flight calls/s | µs/call | +µs |');
  lines.push('|---|---|---|---|---|---|---|');
  for (const mode of MODES) {
    const m = results.overhead[mode];
    lines.push(`| ${mode} | ${f(m.sequentialCallsPerSec)} | ${f(m.sequentialUsPerCall)} | ${f(m.overheadUsSequential)} | ${f(m.inflight16CallsPerSec)} | ${f(m.inflight16UsPerCall, 1)} | ${f(m.overheadUs16, 1)} |`);
  }
  lines.push(`target: worker ≤ +${TARGETS.workerOverheadUs} µs per call`, '');
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
    results.overhead = await overhead({ rounds: results.rounds, calls: quick ? 1000 : 4000, warmup: quick ? 300 : 1000, log });
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
