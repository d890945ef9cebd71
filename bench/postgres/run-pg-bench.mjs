#!/usr/bin/env node
// Issue 4 benchmark: the postgres plugin (through the host) vs the reference
// @modelcontextprotocol/server-postgres from the registry, side by side against one throwaway PostgreSQL.
//  1. SELECT * FROM a 2,000,000-row table: wall time and peak RSS (VmHWM) of each server process.
//     Targets: host >= 100x faster, host peak RSS < 150 MB.
//  2. SELECT 1 calls/s, sequential and 8 in flight: 5 rounds, each running both servers and measuring them in
//     alternating slices; the ratio is the median of the rounds' own ratios. Target: host >= 1.0x the reference.
//     Also CPU per call of the server process and of PostgreSQL (all its processes), from /proc: steadier
//     than calls/s on a shared machine, where the neighbours' load moves the wall clock from round to round.
// usage: node bench/postgres/run-pg-bench.mjs [--quick] [--only bigSelect|selectOne]   (needs `npm run build` first)
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { workFolder, removeWorkFolder, benchDir } from '../lib/configs.mjs';
import { driveCalls } from '../lib/drive-calls.mjs';
import { processCpuMicros } from '../lib/proc-cpu.mjs';
import { killAll, ServerProcess } from '../lib/server-process.mjs';
import { hostEntry } from '../lib/sides.mjs';
import { startBenchPostgres } from './pg-server.mjs';

const require = createRequire(import.meta.url);

/** Peak resident set (VmHWM) and current RSS of a process, in MB (Linux /proc). */
function memoryMb(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name) => Number(/^\s*(\d+)/.exec(status.split(`${name}:`)[1] ?? '')?.[1] ?? NaN) / 1024;
    return { peakRssMb: field('VmHWM'), rssMb: field('VmRSS') };
  } catch {
    return { peakRssMb: NaN, rssMb: NaN };
  }
}

function startSide(side, url) {
  if (side === 'host') {
    const config = join(workFolder(), 'pg-bench.plugins.json');
    writeFileSync(config, JSON.stringify({ logLevel: 'warn', watch: false, plugins: { pg: { plugin: 'postgres', config: { connectionString: url, pool: { max: 10 } } } } }));
    return { server: new ServerProcess('host', [hostEntry, 'serve', '--config', config], { cwd: workFolder() }), tool: 'pg__query' };
  }
  const entry = require.resolve('@modelcontextprotocol/server-postgres/dist/index.js');
  return { server: new ServerProcess('reference', [entry, url], { cwd: workFolder() }), tool: 'query' };
}

async function bigSelect(side, url, timeoutMs) {
  const { server, tool } = startSide(side, url);
  try {
    await server.handshake();
    await server.request('tools/call', { name: tool, arguments: { sql: 'SELECT 1' } }); // warm: connect, load parser
    const before = memoryMb(server.pid);
    const started = performance.now();
    let outcome;
    try {
      const { message } = await server.request('tools/call', { name: tool, arguments: { sql: 'SELECT * FROM big' } }, timeoutMs);
      const text = message.result?.content?.[0]?.text ?? '';
      outcome = { ok: !message.result?.isError, responseBytes: JSON.stringify(message).length, truncated: message.result?.structuredContent?.truncated, textStart: text.slice(0, 80) };
    } catch (error) {
      outcome = { ok: false, error: String(error.message).split('\n')[0] };
    }
    const ms = performance.now() - started;
    return { side, ms, ...outcome, startRssMb: before.rssMb, ...memoryMb(server.pid) };
  } finally {
    await server.close();
  }
}

/** CPU time used so far by all of `pids`, in microseconds (processes that are gone count nothing). */
function cpuMicros(pids) {
  return pids.reduce((sum, pid) => sum + (processCpuMicros(pid) ?? 0), 0);
}

/**
 * One round of SELECT 1: both servers started fresh and alive together, each concurrency measured in short slices
 * alternating between them, so both see the same machine (its speed drifts by tens of percent within seconds).
 * CPU is counted per slice: the server driven, and PostgreSQL's processes (only that side's calls run then).
 */
async function selectOneRound(url, pg, { slices, sliceMs, warmup }, round) {
  const sides = { host: startSide('host', url), reference: startSide('reference', url) };
  try {
    const args = { sql: 'SELECT 1' };
    for (const [name, { server, tool }] of Object.entries(sides)) {
      await server.handshake();
      const check = await server.request('tools/call', { name: tool, arguments: args });
      if (check.message.result?.isError) throw new Error(`${name}: SELECT 1 failed: ${JSON.stringify(check.message.result)}`);
      for (const concurrency of [1, 8]) await driveCalls(server, { tool, args, total: warmup, concurrency, timeLimitMs: 20_000 });
    }
    const pgPids = pg.pids(); // both pools' connections are open by now
    const out = { host: {}, reference: {} };
    for (const concurrency of [1, 8]) {
      const sum = { host: { calls: 0, ms: 0, errors: 0, server: 0, postgres: 0 }, reference: { calls: 0, ms: 0, errors: 0, server: 0, postgres: 0 } };
      for (let slice = 0; slice < slices; slice++) {
        const name = (slice + round) % 2 === 0 ? 'reference' : 'host';
        const { server, tool } = sides[name];
        const [server0, pg0] = [processCpuMicros(server.pid), cpuMicros(pgPids)];
        const run = await driveCalls(server, { tool, args, total: Number.MAX_SAFE_INTEGER, concurrency, timeLimitMs: sliceMs });
        const acc = sum[name];
        acc.calls += run.done;
        acc.ms += run.ms;
        acc.errors += run.errors;
        acc.firstError ??= run.firstError;
        acc.server += processCpuMicros(server.pid) - server0;
        acc.postgres += cpuMicros(pgPids) - pg0;
      }
      for (const name of ['host', 'reference']) {
        const acc = sum[name];
        out[name][concurrency] = {
          calls: acc.calls,
          errors: acc.errors,
          firstError: acc.firstError,
          callsPerSec: acc.calls / (acc.ms / 1000),
          serverCpuUsPerCall: acc.server / acc.calls,
          postgresCpuUsPerCall: acc.postgres / acc.calls,
        };
      }
    }
    return out;
  } finally {
    await Promise.all(Object.values(sides).map(({ server }) => server.close()));
  }
}

export async function runPostgresBench({ quick = false, only, rows = 2_000_000, progress = (m) => process.stderr.write(`[pg-bench] ${m}\n`) } = {}) {
  const pg = await startBenchPostgres();
  try {
    pg.psql('postgres', 'CREATE DATABASE bench');
    const url = pg.url('bench');
    const results = { rows, bigSelect: {}, selectOne: {} };
    if (only !== 'selectOne') {
      progress(`filling big with ${rows} rows`);
      pg.psql('bench', `CREATE TABLE big AS SELECT g AS id, md5(g::text) AS payload, now() AS created FROM generate_series(1, ${rows}) g; ANALYZE big`);
      for (const side of ['host', 'reference']) {
        progress(`SELECT * FROM big: ${side}`);
        results.bigSelect[side] = await bigSelect(side, url, quick ? 120_000 : 600_000);
      }
    }
    results.summary = { targets: { bigSelectSpeedup: '>= 100', hostPeakRssMb: '< 150', selectOneRatio: '>= 1.0' } };
    const h = results.bigSelect.host;
    const r = results.bigSelect.reference;
    if (h && r) {
      Object.assign(results.summary, { bigSelectSpeedup: r.ok ? r.ms / h.ms : `reference failed: ${r.error}`, hostPeakRssMb: h.peakRssMb, referencePeakRssMb: r.peakRssMb });
    }
    if (only === 'bigSelect') return results;
    const plan = { slices: quick ? 4 : 8, sliceMs: quick ? 300 : 600, warmup: quick ? 100 : 600 };
    const rounds = quick ? 2 : 5;
    const perRound = { host: [], reference: [] };
    for (let round = 0; round < rounds; round++) {
      progress(`SELECT 1 calls/s: round ${round + 1}/${rounds}`);
      const out = await selectOneRound(url, pg, plan, round);
      perRound.host.push(out.host);
      perRound.reference.push(out.reference);
    }
    const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    for (const side of ['host', 'reference']) {
      results.selectOne[side] = Object.fromEntries(
        [1, 8].map((c) => {
          const runs = perRound[side].map((r) => r[c]);
          return [
            c,
            {
              callsPerSec: median(runs.map((r) => r.callsPerSec)),
              serverCpuUsPerCall: median(runs.map((r) => r.serverCpuUsPerCall)),
              postgresCpuUsPerCall: median(runs.map((r) => r.postgresCpuUsPerCall)),
              errors: runs.reduce((n, r) => n + r.errors, 0),
              rounds: runs.map((r) => Math.round(r.callsPerSec)),
            },
          ];
        }),
      );
    }
    const s = results.selectOne;
    // Within a round both sides ran in alternating slices, under the same load: the median of those ratios
    // is steadier than the ratio of the medians when the load drifts.
    const roundRatio = (c) => median(perRound.host.map((host, i) => host[c].callsPerSec / perRound.reference[i][c].callsPerSec));
    Object.assign(results.summary, {
      selectOneRatioSequential: s.host[1].callsPerSec / s.reference[1].callsPerSec,
      selectOneRatio8InFlight: s.host[8].callsPerSec / s.reference[8].callsPerSec,
      selectOneRoundRatioSequential: roundRatio(1),
      selectOneRoundRatio8InFlight: roundRatio(8),
    });
    return results;
  } finally {
    await killAll();
    pg.destroy();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const quick = process.argv.includes('--quick');
  const onlyAt = process.argv.indexOf('--only');
  const only = onlyAt > 0 ? process.argv[onlyAt + 1] : undefined;
  if (only !== undefined && only !== 'bigSelect' && only !== 'selectOne') throw new Error('--only takes bigSelect or selectOne');
  try {
    const results = await runPostgresBench({ quick, only });
    const out = join(benchDir, 'results');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'postgres-latest.json'), JSON.stringify(results, null, 2));
    const b = results.bigSelect;
    const s = results.selectOne;
    const f = (n) => (typeof n === 'number' ? n.toFixed(1) : String(n));
    if (b.host && b.reference) {
      console.log(`SELECT * FROM big (${results.rows} rows)`);
      for (const side of ['host', 'reference']) console.log(`  ${side.padEnd(9)} ${f(b[side].ms)} ms  peak RSS ${f(b[side].peakRssMb)} MB  ${b[side].ok ? `${b[side].responseBytes} bytes` : b[side].error}`);
      console.log(`  speed-up ${f(results.summary.bigSelectSpeedup)}x (target >= 100x), host peak RSS ${f(b.host.peakRssMb)} MB (target < 150)`);
    }
    if (only !== 'bigSelect') {
      const cpu = (x) => `${x.serverCpuUsPerCall.toFixed(0)}+${x.postgresCpuUsPerCall.toFixed(0)} µs`;
      console.log('SELECT 1 calls/s (CPU per call: server + PostgreSQL)   sequential                8 in flight');
      for (const side of ['host', 'reference']) console.log(`  ${side.padEnd(20)} ${f(s[side][1].callsPerSec).padStart(10)} (${cpu(s[side][1])})   ${f(s[side][8].callsPerSec).padStart(10)} (${cpu(s[side][8])})`);
      const sum = results.summary;
      const x = (n) => n.toFixed(2);
      console.log(`  host/reference ${x(sum.selectOneRatioSequential)}x sequential, ${x(sum.selectOneRatio8InFlight)}x 8 in flight (target >= 1.0x); median of per-round ratios ${x(sum.selectOneRoundRatioSequential)}x, ${x(sum.selectOneRoundRatio8InFlight)}x`);
    }
  } finally {
    removeWorkFolder();
  }
}
