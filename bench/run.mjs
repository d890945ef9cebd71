#!/usr/bin/env node
// `npm run bench`: the host vs bare SDK servers, side by side in one run (issue 2, "Benchmark").
// Prints a table to stdout and writes every figure to bench/results/latest.json. See bench/README.md.
// usage: node bench/run.mjs [--quick] [--only startup,calls,list]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { benchDir, removeWorkFolder, repoDir } from './lib/configs.mjs';
import { clockTicksPerSecond } from './lib/proc-cpu.mjs';
import { buildRows, formatTable } from './lib/report.mjs';
import { killAll } from './lib/server-process.mjs';
import { hostEntry } from './lib/sides.mjs';
import { callsScenario } from './scenarios/calls.mjs';
import { listScenario } from './scenarios/list.mjs';
import { startupScenario } from './scenarios/startup.mjs';

const { values } = parseArgs({ options: { quick: { type: 'boolean' }, only: { type: 'string' } } });
const only = new Set((values.only ?? 'startup,calls,list').split(','));
const quick = Boolean(values.quick);

// Every loop is bounded by a count and by a time limit per measured phase.
const plan = {
  startup: { runs: quick ? 4 : 15 },
  calls: { rounds: quick ? 2 : 3, warmup: quick ? 500 : 2000, calls: quick ? 2000 : 20_000, concurrencies: [1, 16], timeLimitMs: 15_000 },
  list: { rounds: quick ? 2 : 4, warmup: quick ? 5 : 20, lists: quick ? 20 : 200, timeLimitMs: 20_000 },
};

if (!existsSync(hostEntry)) {
  process.stderr.write(`bench: ${hostEntry} is missing; run "npm run build" first (npm run bench does).\n`);
  process.exit(2);
}
if (!existsSync('/proc/self/stat')) process.stderr.write('bench: /proc is not available; server CPU figures will be empty.\n');

const started = Date.now();
const progress = (message) => process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${message}\n`);
const interrupt = () => void killAll().finally(() => process.exit(130));
process.on('SIGINT', interrupt);
process.on('SIGTERM', interrupt);

const results = {};
try {
  if (only.has('startup')) results.startup = await startupScenario({ ...plan.startup, progress });
  if (only.has('calls')) results.calls = await callsScenario({ ...plan.calls, progress });
  if (only.has('list')) results.list = await listScenario({ ...plan.list, progress });
} finally {
  await killAll();
  removeWorkFolder();
}

const rows = buildRows(results);
const machine = {
  node: process.version,
  platform: `${platform()} ${release()}`,
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model,
  loadavgAtEnd: loadavg(),
  clockTicksPerSecond: clockTicksPerSecond(),
};
let commit;
try {
  const git = (...args) => execFileSync('git', args, { cwd: repoDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  commit = git('rev-parse', '--short', 'HEAD') + (git('status', '--porcelain', '--untracked-files=no', '--', 'core', 'plugins') ? '+uncommitted changes in core/ or plugins/' : '');
} catch {}

const notes = [];
if (results.startup) {
  const states = results.startup.hostInstances.map((s) => `${s.instance}=${s.state}${s.error ? ` (${s.error})` : ''}`);
  notes.push(`startup: built-in plugins enabled: ${results.startup.builtinPlugins.join(', ') || 'none'}; host__status: ${states.join(', ') || 'no instances'}`);
}
if (results.calls) {
  for (const side of ['host', 'bare']) {
    for (const [c, s] of Object.entries(results.calls[side])) {
      if (s.errors) notes.push(`tools/call ${side}, ${c} in flight: ${s.errors} error results, first: ${s.firstError}`);
      if (s.timedOutRounds) notes.push(`tools/call ${side}, ${c} in flight: ${s.timedOutRounds} round(s) hit the time limit (fewer calls measured)`);
    }
  }
}
if (results.list) {
  notes.push(`tools/list: host list minus host__* tools ${results.list.sameToolsAsBare ? 'is identical to' : 'DIFFERS from'} the bare list; host answers in ${results.list.host.pages} page`);
}

const table = formatTable(rows);
const daemon = relative(repoDir, hostEntry);
const header = `mcp-host bench (daemon ${daemon}) — node ${machine.node}, ${machine.cpus} CPU(s) (${machine.cpuModel}), ${machine.platform}, CLK_TCK ${machine.clockTicksPerSecond}${commit ? `, commit ${commit}` : ''}${quick ? ', QUICK run' : ''}`;
process.stdout.write(`\n${header}\nmedians over alternating runs; ratio = host / bare SDK\n\n${table}\n\n${notes.map((n) => `• ${n}`).join('\n')}\n`);

const resultsDir = join(benchDir, 'results');
mkdirSync(resultsDir, { recursive: true });
const file = join(resultsDir, 'latest.json');
writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), commit, daemon, quick, machine, plan, durationS: (Date.now() - started) / 1000, table: rows, notes, results }, null, 2) + '\n');
process.stdout.write(`\nfull figures: ${file} (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
