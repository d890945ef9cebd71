#!/usr/bin/env node
// HTTP benchmark (issue 7): tools/call of the echo tool over Streamable HTTP with 50 concurrent keep-alive
// connections, the host (`serve --http`, stateful and --stateless) side by side with a bare SDK Streamable HTTP
// server in the same run, alternating which goes first. Prints a table; writes bench/results/http-latest.json.
// The load comes from a lean raw-socket client (raw-client.mjs, like autocannon), and each server's own CPU time per
// request is measured too: on a shared machine req/s moves with the neighbours' load, CPU per request much less.
// usage: node bench/http/run-http.mjs [--quick] [--node-client]   (--node-client: node:http's client, as before the
// raw client, for figures comparable with older runs)
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchDir, fixturePluginDir } from '../lib/configs.mjs';
import { hostEntry } from '../lib/sides.mjs';
import { processCpuMicros } from '../lib/proc-cpu.mjs';
import { median, quantile } from '../lib/stats.mjs';
import { RawConnection } from './raw-client.mjs';

const { values } = parseArgs({ options: { quick: { type: 'boolean' }, 'node-client': { type: 'boolean' } } });
const CONNECTIONS = 50;
const WARMUP_MS = values.quick ? 1000 : 2000;
const MEASURE_MS = values.quick ? 3000 : 8000;
const ROUNDS = values.quick ? 1 : 2;
const HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18' };

const work = mkdtempSync(join(tmpdir(), 'mcp-host-bench-http-'));
const config = join(work, 'plugins.json');
// The rate limit is a per-client guard; one bench client sends everything, so lift it here.
writeFileSync(config, JSON.stringify({ pluginDirs: [fixturePluginDir], logLevel: 'info', http: { rateLimit: { windowMs: 1000, max: 1e9 } }, plugins: { echo: { isolation: 'in-process' } } }));
const children = new Set();

function startServer(side, stateless) {
  const args =
    side === 'host'
      ? [hostEntry, 'serve', '--http', '127.0.0.1:0', '--no-watch', '--config', config, ...(stateless ? ['--stateless'] : [])]
      : [join(benchDir, 'servers', 'bare-http-server.mjs'), ...(stateless ? ['--stateless'] : [])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  children.add(child);
  let err = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${side} did not start: ${err}`)), 15_000);
    child.stderr.on('data', (d) => {
      err = (err + d).slice(-4000);
      const m = /listening on (http:\/\/[^\s]+\/mcp)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve({ url: new URL(m[1]), child });
      }
    });
    child.once('exit', (code) => reject(new Error(`${side} exited (${code}): ${err}`)));
  });
}

function stop(child) {
  children.delete(child);
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', resolve);
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 3000).unref();
  });
}

function post(connection, url, body, session) {
  return connection.post(url.pathname, session ? { ...HEADERS, 'mcp-session-id': session } : HEADERS, body);
}

/** The same interface over node:http's client (one keep-alive Agent socket per connection). */
class NodeConnection {
  constructor(url) {
    this.url = url;
    this.agent = new Agent({ keepAlive: true, maxSockets: 1 });
  }

  post(path, headers, body) {
    return new Promise((resolve, reject) => {
      const req = request(this.url, { method: 'POST', agent: this.agent, headers }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  close() {
    this.agent.destroy();
  }
}

async function openSession(connection, url) {
  const init = { jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '1' } } };
  const res = await post(connection, url, JSON.stringify(init));
  const session = res.headers['mcp-session-id'];
  await post(connection, url, JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }), session);
  return session;
}

/**
 * 50 connections, each a loop of tools/call; latencies of calls that end inside the measured window, and the
 * server's CPU time (process utime + stime) per call answered during it.
 */
async function load(url, pid, stateless, tool) {
  const connections = Array.from({ length: CONNECTIONS }, () => (values['node-client'] ? new NodeConnection(url) : new RawConnection(url)));
  const sessions = stateless ? connections.map(() => undefined) : await Promise.all(connections.map((c) => openSession(c, url)));
  const start = performance.now();
  const measureFrom = start + WARMUP_MS;
  const end = measureFrom + MEASURE_MS;
  const latencies = [];
  let errors = 0;
  let id = 1;
  let answered = 0;
  const cpu = {};
  const mark = (at) => setTimeout(() => (cpu[at] = { micros: processCpuMicros(pid), answered }), at === 'from' ? WARMUP_MS : WARMUP_MS + MEASURE_MS);
  const timers = [mark('from'), mark('to')];
  await Promise.all(
    sessions.map(async (session, i) => {
      while (performance.now() < end) {
        const n = id++;
        const t0 = performance.now();
        const res = await post(connections[i], url, JSON.stringify({ jsonrpc: '2.0', id: n, method: 'tools/call', params: { name: tool, arguments: { text: `hi ${n}` } } }), session);
        const t1 = performance.now();
        answered++;
        if (res.status !== 200 || !res.text.includes(`hi ${n}`)) errors++;
        else if (t0 >= measureFrom && t1 <= end) latencies.push(t1 - t0);
      }
    }),
  );
  timers.forEach(clearTimeout);
  for (const connection of connections) connection.close();
  const cpuUs = cpu.from?.micros !== undefined && cpu.to?.micros !== undefined ? (cpu.to.micros - cpu.from.micros) / Math.max(1, cpu.to.answered - cpu.from.answered) : NaN;
  return { rps: latencies.length / (MEASURE_MS / 1000), p99: quantile(latencies, 0.99), median: median(latencies), cpuUs, errors };
}

const results = { stateful: { host: [], bare: [] }, stateless: { host: [], bare: [] } };
try {
  for (const mode of ['stateful', 'stateless']) {
    for (let round = 0; round < ROUNDS; round++) {
      for (const side of round % 2 === 0 ? ['host', 'bare'] : ['bare', 'host']) {
        const { url, child } = await startServer(side, mode === 'stateless');
        const figures = await load(url, child.pid, mode === 'stateless', side === 'host' ? 'echo__echo' : 'echo');
        await stop(child);
        results[mode][side].push(figures);
        process.stderr.write(`[bench http] ${mode} ${side} round ${round + 1}: ${figures.rps.toFixed(0)} req/s, p99 ${figures.p99.toFixed(1)} ms, server CPU ${figures.cpuUs.toFixed(0)} µs/req, errors ${figures.errors}\n`);
      }
    }
  }
} finally {
  await Promise.all([...children].map(stop));
  rmSync(work, { recursive: true, force: true });
}

const rows = [];
for (const mode of ['stateful', 'stateless']) {
  const host = median(results[mode].host.map((r) => r.rps));
  const bare = median(results[mode].bare.map((r) => r.rps));
  const hostP99 = median(results[mode].host.map((r) => r.p99));
  const bareP99 = median(results[mode].bare.map((r) => r.p99));
  const hostCpu = median(results[mode].host.map((r) => r.cpuUs));
  const bareCpu = median(results[mode].bare.map((r) => r.cpuUs));
  rows.push({ mode, hostRps: host, bareRps: bare, ratio: host / bare, hostP99, bareP99, hostCpuUs: hostCpu, bareCpuUs: bareCpu, targetMet: host / bare >= 0.9 && host >= 4000 });
}
const pad = (s, n) => String(s).padEnd(n);
console.log(`tools/call over Streamable HTTP, ${CONNECTIONS} connections (${values['node-client'] ? 'node:http' : 'raw'} client), ${cpus().length} CPUs, node ${process.version}`);
console.log(`load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(`${pad('mode', 10)} ${pad('host req/s', 11)} ${pad('bare req/s', 11)} ${pad('host/bare', 10)} ${pad('host p99 ms', 12)} ${pad('bare p99 ms', 12)} ${pad('host µs/req', 12)} ${pad('bare µs/req', 12)} target (>=0.9x and >=4000 req/s)`);
for (const r of rows) {
  console.log(
    `${pad(r.mode, 10)} ${pad(r.hostRps.toFixed(0), 11)} ${pad(r.bareRps.toFixed(0), 11)} ${pad(`${r.ratio.toFixed(2)}x`, 10)} ${pad(r.hostP99.toFixed(1), 12)} ${pad(r.bareP99.toFixed(1), 12)} ${pad(r.hostCpuUs.toFixed(0), 12)} ${pad(r.bareCpuUs.toFixed(0), 12)} ${r.targetMet ? 'met' : 'NOT met'}`,
  );
}
mkdirSync(join(benchDir, 'results'), { recursive: true });
writeFileSync(join(benchDir, 'results', 'http-latest.json'), `${JSON.stringify({ date: new Date().toISOString(), connections: CONNECTIONS, loadavg: loadavg(), rows, results }, null, 2)}\n`);
