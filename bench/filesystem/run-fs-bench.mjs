#!/usr/bin/env node
// The filesystem plugin's benchmark (issue 6): this host's filesystem plugin vs the reference
// @modelcontextprotocol/server-filesystem and vs ripgrep, side by side in one run, on one generated tree
// of 100,000 files. `runFilesystemBench()` is what `npm run bench` calls; run this file alone to get the
// table and bench/filesystem/results/latest.json.
// usage: node bench/filesystem/run-fs-bench.mjs [--quick]
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { ensureTree } from './make-tree.mjs';
import { callText, hostEntry, referenceEntry, startHost, startReference } from './mcp-side.mjs';

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const now = () => performance.now();

function findRipgrep() {
  try {
    const version = execFileSync('rg', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n')[0];
    return { version };
  } catch {
    return undefined;
  }
}

/** Runs rg and resolves with its wall time and output line count. */
function runRg(args, cwd) {
  return new Promise((resolve, reject) => {
    const started = now();
    const child = spawn('rg', args, { cwd, stdio: ['ignore', 'pipe', 'ignore'] });
    let lines = 0;
    child.stdout.on('data', (d) => {
      for (const b of d) if (b === 10) lines++;
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 || code === 1 ? resolve({ ms: now() - started, lines }) : reject(new Error(`rg exited ${code}`))));
  });
}

async function timed(fn) {
  const started = now();
  const value = await fn();
  return { ms: now() - started, value };
}

/** Sequential read_text_file calls for `limitMs` (at most `calls`), after a warm-up; calls per second. */
async function readRate(side, path, { warmup, calls, limitMs }) {
  for (let i = 0; i < warmup; i++) await callText(side, 'read_text_file', { path });
  let done = 0;
  const started = now();
  while (done < calls && now() - started < limitMs) {
    await callText(side, 'read_text_file', { path });
    done++;
  }
  return (done * 1000) / (now() - started);
}

const countLines = (text) => text.split('\n').filter((l) => l.startsWith('/')).length;

/**
 * @param {{ quick?: boolean, progress?: (message: string) => void }} options
 * @returns the figures, targets and notes (also what the CLI prints and saves)
 */
export async function runFilesystemBench({ quick = false, progress = () => {} } = {}) {
  if (!existsSync(hostEntry)) throw new Error(`${hostEntry} is missing: run "npm run build" first`);
  const plan = {
    read: { rounds: quick ? 2 : 3, warmup: quick ? 50 : 200, calls: quick ? 300 : 2000, limitMs: quick ? 3000 : 10_000 },
    globRuns: quick ? 3 : 7,
    searchRuns: quick ? 3 : 7,
    referenceGlobRuns: quick ? 1 : 2,
  };
  progress('filesystem: preparing the 100,000-file tree (built once, then reused)');
  const tree = ensureTree();
  const notes = [];
  const rg = findRipgrep();
  if (!rg) notes.push('ripgrep (rg) is not installed: the ripgrep comparisons were skipped (apt-get install ripgrep)');
  const results = { tree: { dir: tree.dir, files: tree.files }, ripgrep: rg?.version ?? null, read: {}, glob: {}, search: {}, notes };

  const host = await startHost(tree.dir, 120_000);
  const reference = await startReference(tree.dir);
  if (!reference) notes.push('@modelcontextprotocol/server-filesystem is not installed: the reference comparisons were skipped (npm i)');
  try {
    // 1. read_text_file of a 1,000-line file, sequential calls; rounds alternate between the sides.
    progress('filesystem: read_text_file of a 1,000-line file, sequential');
    const hostRates = [];
    const refRates = [];
    const hostText = await callText(host, 'read_text_file', { path: tree.thousandLines });
    if (hostText.split('\n').length < 1000) throw new Error('read_text_file returned fewer than 1,000 lines');
    for (let r = 0; r < plan.read.rounds; r++) {
      hostRates.push(await readRate(host, tree.thousandLines, plan.read));
      if (reference) refRates.push(await readRate(reference, tree.thousandLines, plan.read));
    }
    results.read = {
      hostCallsPerSec: median(hostRates),
      referenceCallsPerSec: reference ? median(refRates) : null,
      ratio: reference ? median(hostRates) / median(refRates) : null,
      target: '>= 2x the reference',
    };

    // 2. Finding files by glob in the whole tree.
    progress('filesystem: find files by glob');
    const hostGlob = [];
    let hostGlobCount = 0;
    await callText(host, 'find_files', { pattern: tree.glob, maxResults: 10_000 }); // starts the scan workers
    for (let i = 0; i < plan.globRuns; i++) {
      const { ms, value } = await timed(() => callText(host, 'find_files', { pattern: tree.glob, maxResults: 10_000 }));
      hostGlob.push(ms);
      hostGlobCount = countLines(value);
    }
    const rgGlob = [];
    let rgGlobCount = null;
    if (rg) {
      for (let i = 0; i < plan.globRuns; i++) {
        const { ms, lines } = await runRg(['--files', '-g', tree.glob], tree.dir);
        rgGlob.push(ms);
        rgGlobCount = lines;
      }
    }
    const refGlob = [];
    let refGlobCount = null;
    if (reference) {
      for (let i = 0; i < plan.referenceGlobRuns; i++) {
        const { ms, value } = await timed(() => callText(reference, 'search_files', { path: tree.dir, pattern: `**/${tree.glob}` }));
        refGlob.push(ms);
        refGlobCount = countLines(value);
      }
    }
    results.glob = {
      pattern: tree.glob,
      hostMs: median(hostGlob),
      ripgrepMs: rg ? median(rgGlob) : null,
      referenceMs: reference ? median(refGlob) : null,
      matches: { host: hostGlobCount, ripgrep: rgGlobCount, reference: refGlobCount },
      ratioToRipgrep: rg ? median(hostGlob) / median(rgGlob) : null,
      target: '<= 4x ripgrep',
    };

    // 3. search_content over the same tree (a literal that occurs in about 1 file in 1,000).
    progress('filesystem: search_content');
    const hostSearch = [];
    const hostSearchSmart = [];
    let hostSearchCount = 0;
    const searchArgs = { pattern: tree.needle, caseSensitive: true, maxResults: 5000 };
    await callText(host, 'search_content', searchArgs);
    for (let i = 0; i < plan.searchRuns; i++) {
      const { ms, value } = await timed(() => callText(host, 'search_content', searchArgs));
      hostSearch.push(ms);
      hostSearchCount = (value.match(/^\d+: /gm) ?? []).length;
      hostSearchSmart.push((await timed(() => callText(host, 'search_content', { ...searchArgs, caseSensitive: undefined }))).ms);
    }
    const rgSearch = [];
    const rgSearchI = [];
    let rgSearchCount = null;
    if (rg) {
      for (let i = 0; i < plan.searchRuns; i++) {
        const { ms, lines } = await runRg([tree.needle], tree.dir);
        rgSearch.push(ms);
        rgSearchCount = lines;
        rgSearchI.push((await runRg(['-i', tree.needle], tree.dir)).ms);
      }
    }
    results.search = {
      pattern: tree.needle,
      hostMs: median(hostSearch),
      hostCaseInsensitiveMs: median(hostSearchSmart),
      ripgrepMs: rg ? median(rgSearch) : null,
      ripgrepCaseInsensitiveMs: rg ? median(rgSearchI) : null,
      matches: { host: hostSearchCount, ripgrep: rgSearchCount },
      ratioToRipgrep: rg ? median(hostSearch) / median(rgSearch) : null,
      ratioToRipgrepCaseInsensitive: rg ? median(hostSearchSmart) / median(rgSearchI) : null,
      target: '<= 3x ripgrep',
    };
    if (rg && (hostGlobCount !== rgGlobCount || hostSearchCount !== rgSearchCount)) {
      notes.push(`result counts differ from ripgrep: glob ${hostGlobCount} vs ${rgGlobCount}, search ${hostSearchCount} vs ${rgSearchCount}`);
    }
  } finally {
    await host.close();
    await reference?.close();
  }
  results.machine = { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model, loadavgAtEnd: loadavg() };
  return results;
}

const f = (n, d = 0) => (n === null || n === undefined || Number.isNaN(n) ? 'n/a' : n.toFixed(d));
const verdict = (ok) => (ok === null ? 'n/a' : ok ? 'met' : 'NOT met');

/** The figures as a small table. */
export function formatFilesystemBench(r) {
  const rows = [
    ['read_text_file 1,000 lines (calls/s)', f(r.read.hostCallsPerSec), f(r.read.referenceCallsPerSec), '', `${f(r.read.ratio, 2)}x ref`, '>= 2x ref', verdict(r.read.ratio === null ? null : r.read.ratio >= 2)],
    [`find by glob ${r.glob.pattern} (ms)`, f(r.glob.hostMs), f(r.glob.referenceMs), f(r.glob.ripgrepMs), `${f(r.glob.ratioToRipgrep, 2)}x rg`, '<= 4x rg', verdict(r.glob.ratioToRipgrep === null ? null : r.glob.ratioToRipgrep <= 4)],
    ['search_content, case-sensitive (ms)', f(r.search.hostMs), 'no such tool', f(r.search.ripgrepMs), `${f(r.search.ratioToRipgrep, 2)}x rg`, '<= 3x rg', verdict(r.search.ratioToRipgrep === null ? null : r.search.ratioToRipgrep <= 3)],
    ['search_content, smart case / rg -i (ms)', f(r.search.hostCaseInsensitiveMs), 'no such tool', f(r.search.ripgrepCaseInsensitiveMs), `${f(r.search.ratioToRipgrepCaseInsensitive, 2)}x rg -i`, '(info)', ''],
  ];
  const head = ['scenario', 'this host', 'reference', 'ripgrep', 'ratio', 'target', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(head), ...rows.map(line), ...r.notes.map((n) => `note: ${n}`), `tree: ${r.tree.files} files in ${r.tree.dir}; ${r.ripgrep ?? 'no ripgrep'}`].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { quick: { type: 'boolean' } } });
  const started = Date.now();
  const results = await runFilesystemBench({
    quick: Boolean(values.quick),
    progress: (m) => process.stderr.write(`[fs-bench ${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${m}\n`),
  });
  process.stdout.write(`${formatFilesystemBench(results)}\n`);
  const out = join(fileURLToPath(new URL('.', import.meta.url)), 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
}
