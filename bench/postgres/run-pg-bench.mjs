#!/usr/bin/env node
// Issue 4 benchmark: the postgres plugin (through the host) vs the reference
// @modelcontextprotocol/server-postgres from the registry, side by side against one throwaway PostgreSQL.
//  1. SELECT * FROM a 2,000,000-row table: wall time and peak RSS (VmHWM) of each server process.
//     Targets: host >= 100x faster, host peak RSS < 150 MB.
//  2. SELECT 1 calls/s, sequential and 8 in flight (median of alternating rounds). Target: host >= 1.0x the reference.
// usage: node bench/postgres/run-pg-bench.mjs [--quick]   (needs `npm run build` first)
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { workFolder, removeWorkFolder, benchDir } from '../lib/configs.mjs';
import { driveCalls } from '../lib/drive-calls.mjs';
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

async function selectOne(side, url, { calls, timeLimitMs }) {
  const { server, tool } = startSide(side, url);
  try {
    await server.handshake();
    const args = { sql: 'SELECT 1' };
    const check = await server.request('tools/call', { name: tool, arguments: args });
    if (check.message.result?.isError) throw new Error(`${side}: SELECT 1 failed: ${JSON.stringify(check.message.result)}`);
    const out = {};
    for (const concurrency of [1, 8]) {
      await driveCalls(server, { tool, args, total: Math.ceil(calls / 5), concurrency, timeLimitMs }); // warm-up
      const run = await driveCalls(server, { tool, args, total: calls, concurrency, timeLimitMs });
      out[concurrency] = { calls: run.done, errors: run.errors, firstError: run.firstError, callsPerSec: run.done / (run.ms / 1000) };
    }
    return out;
  } finally {
    await server.close();
  }
}

export async function runPostgresBench({ quick = false, rows = 2_000_000, progress = (m) => process.stderr.write(`[pg-bench] ${m}\n`) } = {}) {
  const pg = await startBenchPostgres();
  try {
    progress(`filling big with ${rows} rows`);
    pg.psql('postgres', 'CREATE DATABASE bench');
    pg.psql('bench', `CREATE TABLE big AS SELECT g AS id, md5(g::text) AS payload, now() AS created FROM generate_series(1, ${rows}) g; ANALYZE big`);
    const url = pg.url('bench');
    const results = { rows, bigSelect: {}, selectOne: {} };
    for (const side of ['host', 'reference']) {
      progress(`SELECT * FROM big: ${side}`);
      results.bigSelect[side] = await bigSelect(side, url, quick ? 120_000 : 600_000);
    }
    // Rounds alternate which side goes first and the median is reported: the machine's load drifts.
    const plan = { calls: quick ? 500 : 3000, timeLimitMs: 20_000 };
    const rounds = quick ? 2 : 5;
    const perRound = { host: [], reference: [] };
    for (let round = 0; round < rounds; round++) {
      for (const side of round % 2 === 0 ? ['reference', 'host'] : ['host', 'reference']) {
        progress(`SELECT 1 calls/s: ${side}, round ${round + 1}/${rounds}`);
        perRound[side].push(await selectOne(side, url, plan));
      }
    }
    const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    for (const side of ['host', 'reference']) {
      results.selectOne[side] = Object.fromEntries(
        [1, 8].map((c) => [c, { callsPerSec: median(perRound[side].map((r) => r[c].callsPerSec)), errors: perRound[side].reduce((n, r) => n + r[c].errors, 0), rounds: perRound[side].map((r) => Math.round(r[c].callsPerSec)) }]),
      );
    }
    const h = results.bigSelect.host;
    const r = results.bigSelect.reference;
    results.summary = {
      bigSelectSpeedup: r.ok ? r.ms / h.ms : `reference failed: ${r.error}`,
      hostPeakRssMb: h.peakRssMb,
      referencePeakRssMb: r.peakRssMb,
      selectOneRatioSequential: results.selectOne.host[1].callsPerSec / results.selectOne.reference[1].callsPerSec,
      selectOneRatio8InFlight: results.selectOne.host[8].callsPerSec / results.selectOne.reference[8].callsPerSec,
      targets: { bigSelectSpeedup: '>= 100', hostPeakRssMb: '< 150', selectOneRatio: '>= 1.0' },
    };
    return results;
  } finally {
    await killAll();
    pg.destroy();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const quick = process.argv.includes('--quick');
  try {
    const results = await runPostgresBench({ quick });
    const out = join(benchDir, 'results');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'postgres-latest.json'), JSON.stringify(results, null, 2));
    const b = results.bigSelect;
    const s = results.selectOne;
    const f = (n) => (typeof n === 'number' ? n.toFixed(1) : String(n));
    console.log(`SELECT * FROM big (${results.rows} rows)`);
    for (const side of ['host', 'reference']) console.log(`  ${side.padEnd(9)} ${f(b[side].ms)} ms  peak RSS ${f(b[side].peakRssMb)} MB  ${b[side].ok ? `${b[side].responseBytes} bytes` : b[side].error}`);
    console.log(`  speed-up ${f(results.summary.bigSelectSpeedup)}x (target >= 100x), host peak RSS ${f(b.host.peakRssMb)} MB (target < 150)`);
    console.log('SELECT 1 calls/s        sequential   8 in flight');
    for (const side of ['host', 'reference']) console.log(`  ${side.padEnd(20)} ${f(s[side][1].callsPerSec).padStart(10)}   ${f(s[side][8].callsPerSec).padStart(10)}`);
    console.log(`  host/reference ${f(results.summary.selectOneRatioSequential)}x sequential, ${f(results.summary.selectOneRatio8InFlight)}x 8 in flight (target >= 1.0x)`);
  } finally {
    removeWorkFolder();
  }
}
