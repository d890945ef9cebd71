#!/usr/bin/env node
// Hot-reload benchmark (issue 3): save → list_changed latency, calls failed across reloads with
// 16 calls in flight, and the daemon's RSS growth over 200 code and 200 config reloads. Drives the
// BUILT daemon (run `npm run build` first) over stdio with raw JSON-RPC, in temp folders.
//   node bench/reload/run-reload.mjs [--quick] [--no-diagnose]
// Prints a table and writes bench/results/reload.json; `runReloadBench()` returns the same figures.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { DAEMON } from './lib/daemon.mjs';
import { formatReport } from './lib/report.mjs';
import { inflightScenario } from './scenarios/inflight.mjs';
import { latencyScenario } from './scenarios/latency.mjs';
import { memoryScenario } from './scenarios/memory.mjs';

export const RESULTS_PATH = fileURLToPath(new URL('../results/reload.json', import.meta.url));

export const TARGETS = { latencyP50Ms: 300, callsFailed: 0, rssGrowthMB: 20 };

/**
 * Runs every reload scenario one after another (one daemon each) and returns the figures.
 * `quick` cuts the counts for a smoke run; `diagnose` adds code and config reload runs of a daemon
 * started with --expose-gc, whose plugin forces a full GC before each reading (retained heap vs RSS).
 */
export async function runReloadBench({ quick = false, diagnose = true, log = () => {} } = {}) {
  if (!existsSync(DAEMON)) throw new Error(`${DAEMON} not found: run \`npm run build\` first`);
  const n = (full, small) => (quick ? small : full);
  const started = performance.now();
  const step = async (label, run) => {
    log(`reload bench: ${label}...`);
    const t = performance.now();
    const result = await run();
    log(`reload bench: ${label} done in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    return result;
  };
  const latency = await step('latency', () => latencyScenario({ samples: n(30, 6), toggles: n(20, 4), sighups: n(10, 3) }));
  const inflight = await step('reloads with 16 calls in flight', () => inflightScenario({ reloads: n(50, 10) }));
  const memoryConfig = await step('memory, config reloads', () => memoryScenario({ kind: 'config', reloads: n(200, 30) }));
  const memoryCode = await step('memory, code reloads', () => memoryScenario({ kind: 'code', reloads: n(200, 30) }));
  const withGc = (kind) => step(`memory, ${kind} reloads, --expose-gc`, () => memoryScenario({ kind, reloads: n(200, 30), settleMs: 1000, nodeArgs: ['--expose-gc'] }));
  const memoryCodeGc = diagnose ? await withGc('code') : undefined;
  const memoryConfigGc = diagnose ? await withGc('config') : undefined;
  return {
    date: new Date().toISOString(),
    node: process.version,
    quick,
    targets: TARGETS,
    latency,
    inflight,
    memory: { config: memoryConfig, code: memoryCode, ...(diagnose ? { codeWithGc: memoryCodeGc, configWithGc: memoryConfigGc } : {}) },
    seconds: Math.round((performance.now() - started) / 100) / 10,
  };
}

async function main() {
  const args = new Set(process.argv.slice(2));
  const results = await runReloadBench({ quick: args.has('--quick'), diagnose: !args.has('--no-diagnose'), log: (line) => process.stderr.write(line + '\n') });
  mkdirSync(dirname(RESULTS_PATH), { recursive: true });
  writeFileSync(RESULTS_PATH, JSON.stringify(results, null, 2) + '\n');
  process.stdout.write(formatReport(results) + `\nwritten to ${RESULTS_PATH}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().then(
    () => process.exit(0),
    (error) => {
      process.stderr.write(`reload bench failed: ${error?.stack ?? error}\n`);
      process.exit(1);
    },
  );
}
