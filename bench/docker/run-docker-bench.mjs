#!/usr/bin/env node
// Issue 5 benchmark: the docker plugin through the host against a real Docker Engine.
//  1. list_containers with 200 containers: latency of `tools/call list_containers {all, filters}` through the
//     host vs the same dockerode call (`docker.listContainers({all, filters})`) made directly from this
//     process, alternating rounds, medians. Target: host / direct <= 1.3.
//  2. container_logs on a container that wrote 50 MB: wall time of each call and the host's RSS growth
//     (peak RSS, VmHWM, after the calls minus RSS before them). Targets: < 1 s, growth < 50 MB.
//     For context, the plain dockerode Container#logs of the same log in its own process.
// Everything the bench creates carries the label mcp-host-bench=<run> and is removed at the end.
// usage: node bench/docker/run-docker-bench.mjs [--quick]   (needs `npm run build` first and a running Engine)
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { removeWorkFolder, workFolder } from '../lib/configs.mjs';
import { killAll, ServerProcess } from '../lib/server-process.mjs';
import { hostEntry } from '../lib/sides.mjs';
import { median, quantile } from '../lib/stats.mjs';
import { BENCH_IMAGE, BENCH_LABEL, connect, createMany, ensureImage, removeLabelled, socketPath, waitExit } from './engine.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const LOG_BYTES = 50 * 1024 * 1024;
const CONTAINERS = 200;

function memoryMb(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name) => Number(/^\s*(\d+)/.exec(status.split(`${name}:`)[1] ?? '')?.[1] ?? NaN) / 1024;
    return { rssMb: field('VmRSS'), peakRssMb: field('VmHWM') };
  } catch {
    return { rssMb: NaN, peakRssMb: NaN };
  }
}

function startHost() {
  const config = join(workFolder(), `docker-bench-${process.pid}.plugins.json`);
  writeFileSync(config, JSON.stringify({ logLevel: 'warn', watch: false, plugins: { dk: { plugin: 'docker', config: { socketPath: socketPath() } } } }));
  const env = { ...process.env };
  delete env.MCP_HOST_CONFIG;
  delete env.MCP_HOST_LOG_LEVEL;
  delete env.NODE_OPTIONS;
  return new ServerProcess('host', [hostEntry, 'serve', '--config', config], { cwd: workFolder(), env });
}

async function callTool(server, name, args, timeoutMs = 120_000) {
  const { message } = await server.request('tools/call', { name, arguments: args }, timeoutMs);
  if (message.result?.isError) throw new Error(`${name} failed: ${message.result.content?.[0]?.text}`);
  return message.result;
}

async function listBench({ docker, run, rounds, callsPerRound, progress }) {
  const filters = { label: [`${BENCH_LABEL}=${run}`] };
  const host = startHost();
  try {
    await host.handshake();
    const check = await callTool(host, 'dk__list_containers', { all: true, filters });
    if (check.structuredContent.count !== CONTAINERS) throw new Error(`host listed ${check.structuredContent.count} containers, expected ${CONTAINERS}`);
    const direct = await docker.listContainers({ all: true, filters });
    if (direct.length !== CONTAINERS) throw new Error(`dockerode listed ${direct.length} containers, expected ${CONTAINERS}`);
    const sides = {
      direct: async () => {
        const t = performance.now();
        await docker.listContainers({ all: true, filters });
        return performance.now() - t;
      },
      host: async () => {
        const t = performance.now();
        await callTool(host, 'dk__list_containers', { all: true, filters });
        return performance.now() - t;
      },
    };
    for (let i = 0; i < 20; i++) for (const side of Object.values(sides)) await side(); // warm-up
    const samples = { direct: [], host: [] };
    const roundMedians = { direct: [], host: [] };
    for (let round = 0; round < rounds; round++) {
      for (const name of round % 2 === 0 ? ['direct', 'host'] : ['host', 'direct']) {
        const these = [];
        for (let i = 0; i < callsPerRound; i++) these.push(await sides[name]());
        samples[name].push(...these);
        roundMedians[name].push(median(these));
      }
      progress(`list_containers round ${round + 1}/${rounds}: direct ${median(samples.direct).toFixed(2)} ms, host ${median(samples.host).toFixed(2)} ms`);
    }
    const summarize = (xs) => ({ medianMs: median(xs), p95Ms: quantile(xs, 0.95), calls: xs.length });
    return {
      containers: CONTAINERS,
      responseBytes: JSON.stringify(check).length,
      direct: { ...summarize(samples.direct), roundMedians: roundMedians.direct },
      host: { ...summarize(samples.host), roundMedians: roundMedians.host },
      ratio: median(samples.host) / median(samples.direct),
    };
  } finally {
    await host.close();
  }
}

async function logsBench({ docker, logsId, warmId, progress }) {
  const host = startHost();
  try {
    await host.handshake();
    await callTool(host, 'dk__container_logs', { id: warmId }); // loads dockerode, opens the first connection
    const before = memoryMb(host.pid);
    const calls = [
      ['default window (last 100 lines)', {}],
      ['tail: "all" (whole log, cut at the cap)', { tail: 'all' }],
      ['tail: 100000 (newest lines that fit the cap)', { tail: 100000 }],
      ['since: 1 day (from the start, cut at the cap)', { since: '1d' }],
      ['grep: "absent" (scans the whole 50 MB)', { grep: 'absent-text' }],
    ];
    const results = [];
    for (const [label, args] of calls) {
      const t = performance.now();
      const result = await callTool(host, 'dk__container_logs', { id: logsId, ...args });
      const ms = performance.now() - t;
      const s = result.structuredContent;
      results.push({ label, args, ms, bytes: s.bytes, scannedBytes: s.scannedBytes, truncated: s.truncated, truncatedBy: s.truncatedBy, shownTail: s.shownTail, ...memoryMb(host.pid) });
      progress(`container_logs ${label}: ${ms.toFixed(0)} ms, ${s.bytes} bytes answered, ${s.scannedBytes} read`);
    }
    const after = memoryMb(host.pid);
    return { logBytes: LOG_BYTES, startRssMb: before.rssMb, startPeakRssMb: before.peakRssMb, peakRssMb: after.peakRssMb, rssGrowthMb: after.peakRssMb - before.rssMb, calls: results };
  } finally {
    await host.close();
  }
}

function naiveLogs(id) {
  try {
    return JSON.parse(execFileSync(process.execPath, [join(here, 'naive-logs.mjs'), id], { encoding: 'utf8', timeout: 300_000, maxBuffer: 1024 * 1024 }));
  } catch (error) {
    return { error: String(error.message).split('\n')[0] };
  }
}

export async function runDockerBench({ quick = false, progress = (m) => process.stderr.write(`[docker-bench] ${m}\n`) } = {}) {
  const docker = connect();
  await docker.ping();
  await ensureImage(docker);
  const run = `${process.pid}-${Date.now().toString(36)}`;
  try {
    progress(`creating ${CONTAINERS} containers and one that writes ${LOG_BYTES / 1048576} MB of log`);
    const writer = await docker.createContainer({
      Image: BENCH_IMAGE,
      name: `mcp-bench-${run}-writer`,
      Cmd: ['sh', '-c', `yes ${'x'.repeat(99)} | head -c ${LOG_BYTES}`],
      Labels: { [BENCH_LABEL]: run },
    });
    await writer.start();
    await createMany(docker, run, CONTAINERS - 2, 8, progress);
    const warm = await docker.createContainer({ Image: BENCH_IMAGE, name: `mcp-bench-${run}-warm`, Cmd: ['sh', '-c', 'echo warm'], Labels: { [BENCH_LABEL]: run } });
    await warm.start();
    await waitExit(docker, writer.id);
    progress('list_containers: host vs direct dockerode');
    const list = await listBench({ docker, run, rounds: quick ? 3 : 7, callsPerRound: quick ? 20 : 50, progress });
    progress('container_logs on the 50 MB log');
    const logs = await logsBench({ docker, logsId: writer.id, warmId: warm.id, progress });
    progress('context: plain dockerode Container#logs of the same log');
    const naive = naiveLogs(writer.id);
    const version = await docker.version();
    return {
      machine: { node: process.version, cpus: cpus().length, loadavg: loadavg(), engine: version.Version, api: version.ApiVersion },
      list,
      logs,
      naiveDockerodeLogs: naive,
      summary: {
        listRatio: list.ratio,
        logsWorstMsExcludingGrep: Math.max(...logs.calls.filter((c) => !c.args.grep).map((c) => c.ms)),
        logsRssGrowthMb: logs.rssGrowthMb,
        targets: { listRatio: '<= 1.3', logsMs: '< 1000', logsRssGrowthMb: '< 50' },
      },
    };
  } finally {
    await killAll();
    const removed = await removeLabelled(docker, run).catch(() => 0);
    progress(`removed ${removed} bench containers`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const quick = process.argv.includes('--quick');
  try {
    const r = await runDockerBench({ quick });
    const out = join(here, 'results');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'latest.json'), JSON.stringify(r, null, 2));
    const f = (n, d = 2) => (typeof n === 'number' && Number.isFinite(n) ? n.toFixed(d) : String(n));
    const ok = (cond) => (cond ? 'met' : 'NOT met');
    console.log(`Docker Engine ${r.machine.engine} (API ${r.machine.api}), node ${r.machine.node}, ${r.machine.cpus} CPUs, load ${r.machine.loadavg.map((x) => x.toFixed(2)).join(' ')}`);
    console.log(`list_containers, ${r.list.containers} containers (all: true, label filter), ${r.list.host.calls} calls per side`);
    console.log('                      median ms    p95 ms');
    console.log(`  direct dockerode    ${f(r.list.direct.medianMs).padStart(9)} ${f(r.list.direct.p95Ms).padStart(9)}`);
    console.log(`  through the host    ${f(r.list.host.medianMs).padStart(9)} ${f(r.list.host.p95Ms).padStart(9)}   (answer ${r.list.responseBytes} bytes)`);
    console.log(`  host / direct ${f(r.list.ratio)}x (target <= 1.3x: ${ok(r.list.ratio <= 1.3)}); per-round medians host ${r.list.host.roundMedians.map((x) => f(x)).join(' ')} / direct ${r.list.direct.roundMedians.map((x) => f(x)).join(' ')}`);
    console.log(`container_logs on a container that wrote ${r.logs.logBytes / 1048576} MB (maxLogBytes 65536)`);
    for (const c of r.logs.calls) {
      console.log(`  ${c.label.padEnd(46)} ${f(c.ms, 0).padStart(6)} ms  answered ${String(c.bytes).padStart(6)} B, read ${String(c.scannedBytes).padStart(9)} B${c.shownTail ? `, last ${c.shownTail} lines` : ''}`);
    }
    console.log(`  host RSS ${f(r.logs.startRssMb, 1)} MB before, peak ${f(r.logs.peakRssMb, 1)} MB after: growth ${f(r.logs.rssGrowthMb, 1)} MB (target < 50: ${ok(r.logs.rssGrowthMb < 50)})`);
    console.log(`  slowest call without grep ${f(r.summary.logsWorstMsExcludingGrep, 0)} ms (target < 1000: ${ok(r.summary.logsWorstMsExcludingGrep < 1000)})`);
    const n = r.naiveDockerodeLogs;
    console.log(n.error ? `  plain dockerode Container#logs: ${n.error}` : `  context: plain dockerode Container#logs buffers the whole log: ${f(n.ms, 0)} ms, ${n.bytes} bytes, peak RSS ${f(n.peakRssMb, 1)} MB (from ${f(n.startRssMb, 1)} MB)`);
  } finally {
    removeWorkFolder();
  }
}
