// Turns the scenario results into table rows (with ratios and verdicts) and prints them.
import { ratio } from './stats.mjs';

/** `better`: 'lower' (ratio must be ≤ target) or 'higher' (≥ target); no target = shown for information. */
function row(label, unit, host, bare, target, better) {
  const r = ratio(host, bare);
  let verdict = '';
  if (target !== undefined && r !== undefined) verdict = (better === 'lower' ? r <= target : r >= target) ? 'met' : 'MISSED';
  return { label, unit, host, bare, ratio: r, target: target === undefined ? undefined : `${better === 'lower' ? '≤' : '≥'} ${target.toFixed(2)}×`, verdict };
}

export function buildRows({ startup, calls, list }) {
  const rows = [];
  if (startup) {
    rows.push(row('1. spawn → initialize answered', 'ms', startup.host.initMs, startup.bare.initMs, 1.2, 'lower'));
    rows.push(row('   spawn → first tools/list answered', 'ms', startup.host.firstListMs, startup.bare.firstListMs));
    rows.push(row('   server CPU until first tools/list', 'ms', startup.host.cpuToFirstListMs, startup.bare.cpuToFirstListMs));
  }
  if (calls) {
    for (const [i, c] of Object.keys(calls.host).entries()) {
      rows.push(row(`${i === 0 ? '2.' : '  '} tools/call, ${c} in flight: throughput`, 'calls/s', calls.host[c].callsPerSec, calls.bare[c].callsPerSec, 1.0, 'higher'));
      rows.push(row(`   tools/call, ${c} in flight: server CPU per call`, 'µs', calls.host[c].cpuPerCallUs, calls.bare[c].cpuPerCallUs, 1.0, 'lower'));
    }
  }
  if (list) {
    rows.push(row(`3. tools/list (${list.host.tools} vs ${list.bare.tools} tools): median latency`, 'ms', list.host.medianMs, list.bare.medianMs, 1.0, 'lower'));
    rows.push(row('   tools/list: p95 latency', 'ms', list.host.p95Ms, list.bare.p95Ms));
    rows.push(row('   tools/list: server CPU per list', 'ms', list.host.cpuPerListMs, list.bare.cpuPerListMs, 1.0, 'lower'));
    rows.push(row('   tools/list: response size', 'KB', list.host.bytes / 1024, list.bare.bytes / 1024));
    rows.push(row('   spawn → first tools/list (2,000 tools)', 'ms', list.host.firstListAfterSpawnMs, list.bare.firstListAfterSpawnMs));
  }
  return rows;
}

function fmt(value) {
  if (value === undefined || !Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  return abs >= 1000 ? Math.round(value).toLocaleString('en-US') : abs >= 100 ? value.toFixed(0) : abs >= 10 ? value.toFixed(1) : value.toFixed(2);
}

export function formatTable(rows) {
  const head = ['measure', 'unit', 'host', 'bare SDK', 'host/bare', 'target', ''];
  const body = rows.map((r) => [r.label, r.unit, fmt(r.host), fmt(r.bare), r.ratio === undefined ? '–' : `${r.ratio.toFixed(2)}×`, r.target ?? '', r.verdict]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) => cells.map((c, i) => (i >= 2 && i <= 4 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(head), widths.map((w) => '─'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}
