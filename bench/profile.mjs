#!/usr/bin/env node
// Profiles one side of a bench scenario with `node --cpu-prof` and prints where its CPU goes.
// Not part of `npm run bench` (profiling changes the timings). See bench/README.md.
// usage: node bench/profile.mjs [--side host|bare] [--workload calls|mcp-server|postgres|list|startup] [--lines 20] [--top 25]
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchDir, repoDir, builtinConfig, echoConfig, manyConfig, removeWorkFolder, workFolder } from './lib/configs.mjs';
import { referenceEntry } from './filesystem/mcp-side.mjs';
import { startBenchPostgres } from './postgres/pg-server.mjs';
import { formatSummary, summarizeProfile } from './lib/cpu-profile-summary.mjs';
import { driveCalls } from './lib/drive-calls.mjs';
import { MANY_INSTANCES, MANY_TOOLS_PER_INSTANCE } from './lib/many.mjs';
import { killAll } from './lib/server-process.mjs';
import { startBareEcho, startBareList, startHost } from './lib/sides.mjs';

const { values } = parseArgs({ options: { side: { type: 'string', default: 'host' }, workload: { type: 'string', default: 'calls' }, top: { type: 'string', default: '25' }, lines: { type: 'string', default: '20' } } });
const { side, workload } = values;
// One folder per run: every thread (a module-hooks worker too) writes its own CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile.
const dir = join(benchDir, 'results', 'profiles', `${side}-${workload}-${Date.now()}`);
mkdirSync(dir, { recursive: true });
const nodeArgs = ['--cpu-prof', `--cpu-prof-dir=${dir}`];
// The unbundled CLI runs the same code as the esbuild bundle, but its frames name their package or core/ folder.
const unbundled = join(repoDir, 'dist', 'core', 'cli', 'main.js');
const entry = process.env.BENCH_HOST_ENTRY || (existsSync(unbundled) ? unbundled : undefined);
const hostOptions = { nodeArgs, entry };

let server;
let pg;
try {
  if (workload === 'calls') {
    server = side === 'host' ? startHost(echoConfig(), hostOptions) : startBareEcho({ nodeArgs });
    await server.handshake();
    const tool = side === 'host' ? 'echo__echo' : 'echo';
    for (const concurrency of [1, 16]) await driveCalls(server, { tool, args: { text: 'hello from the bench' }, total: 20_000, concurrency, timeLimitMs: 30_000 });
  } else if (workload === 'mcp-server') {
    // The host forwarding read_text_file to the reference filesystem server (bench/mcp-server): what the hop costs.
    const folder = workFolder();
    const file = join(folder, 'small.txt');
    writeFileSync(file, Array.from({ length: Number(values.lines) }, (_, i) => `line ${i + 1}: the quick brown fox jumps over the lazy dog`).join('\n'));
    const config = join(folder, 'hop.plugins.json');
    const upstream = referenceEntry();
    if (!upstream) throw new Error('the reference @modelcontextprotocol/server-filesystem is not installed');
    writeFileSync(config, JSON.stringify({ watch: false, logLevel: 'warn', plugins: { fs: { plugin: 'mcp-server', config: { command: process.execPath, args: [upstream, folder], catalogWaitMs: 30_000 } } } }));
    server = startHost(config, hostOptions);
    await server.handshake();
    await server.request('tools/list', {});
    for (const concurrency of [1, 16]) await driveCalls(server, { tool: 'fs__read_text_file', args: { path: file }, total: 10_000, concurrency, timeLimitMs: 30_000 });
  } else if (workload === 'postgres') {
    // The postgres plugin answering SELECT 1 (bench/postgres): what the safety layers and the host cost per call.
    pg = await startBenchPostgres();
    const config = join(workFolder(), 'pg.plugins.json');
    writeFileSync(config, JSON.stringify({ logLevel: 'warn', watch: false, plugins: { pg: { plugin: 'postgres', config: { connectionString: pg.url('postgres'), pool: { max: 10 } } } } }));
    server = startHost(config, hostOptions);
    await server.handshake();
    for (const concurrency of [1, 8]) await driveCalls(server, { tool: 'pg__query', args: { sql: 'SELECT 1' }, total: 5_000, concurrency, timeLimitMs: 30_000 });
  } else if (workload === 'list') {
    server = side === 'host' ? startHost(manyConfig(), hostOptions) : startBareList(MANY_INSTANCES, MANY_TOOLS_PER_INSTANCE, { nodeArgs });
    await server.handshake();
    for (let i = 0; i < 200; i++) await server.request('tools/list', {});
  } else if (workload === 'startup') {
    server = side === 'host' ? startHost(builtinConfig().path, hostOptions) : startBareEcho({ nodeArgs });
    await server.handshake();
    await server.request('tools/list', {});
  } else {
    throw new Error(`unknown workload "${workload}" (calls, mcp-server, postgres, list or startup)`);
  }
  // A clean exit (stdin closed) is what makes node write the profile.
  await server.close(10_000);
} finally {
  await killAll();
  pg?.destroy();
  removeWorkFolder();
}
const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
const main = files.find((f) => /^CPU\.\d+\.\d+\.\d+\.0\.\d+\.cpuprofile$/.test(f));
if (!main) throw new Error(`no main-thread profile in ${dir} (found: ${files.join(', ') || 'none'}); did the server exit cleanly?`);
if (files.length > 1) process.stdout.write(`note: ${files.length - 1} other thread profile(s) in ${dir} (e.g. a module-hooks worker)\n`);
const top = Number(values.top);
process.stdout.write(formatSummary(`${side} ${workload}${side === 'host' ? ` [${entry ?? 'bin'}]` : ''} (${join(dir, main)})`, summarizeProfile(join(dir, main), top)) + '\n');
