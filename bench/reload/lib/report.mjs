// The reload bench's figures as a readable table next to the issue's targets, plus the breakdown.

const ms = (v) => (v === undefined ? 'n/a' : `${v} ms`);
const mb = (v) => (v === undefined ? 'n/a' : `${v > 0 ? '+' : ''}${v} MB`);
const mark = (ok) => (ok === undefined ? '' : ok ? 'ok' : 'MISSED');

function table(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  const line = (r) => r.map((cell, c) => String(cell).padEnd(widths[c])).join('  ').trimEnd();
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

export function formatReport(r) {
  const { latency: l, inflight: f, memory: m, targets: t } = r;
  const lat = (s) => `p50 ${ms(s.p50)}, p95 ${ms(s.p95)} (n=${s.n})`;
  const rows = [
    ['measure', 'figure', 'target', ''],
    ['save plugins.json (config change) → tools/list_changed', lat(l.configChange), `p50 ≤ ${t.latencyP50Ms} ms`, mark(l.configChange.p50 <= t.latencyP50Ms)],
    ['save plugins.json (enable/disable) → tools/list_changed', lat(l.toggle), `p50 ≤ ${t.latencyP50Ms} ms`, mark(l.toggle.p50 <= t.latencyP50Ms)],
    ['save an imported plugin file → tools/list_changed', lat(l.codeEdit), `p50 ≤ ${t.latencyP50Ms} ms`, mark(l.codeEdit.p50 <= t.latencyP50Ms)],
    [`calls failed, ${f.reloads} reloads with ${f.concurrency} calls in flight`, `${f.callsFailed} of ${f.callsDone} calls`, `${t.callsFailed}`, mark(f.callsFailed === t.callsFailed && f.timeouts === 0)],
    [`RSS growth, ${m.code.reloads} code reloads (${Math.round(m.code.codeBytes / 1000)} KB plugin, 6 files)`, `${mb(m.code.rssGrowthMB)} (${m.code.perReloadKB} KB/reload)`, `< ${t.rssGrowthMB} MB`, mark(m.code.rssGrowthMB < t.rssGrowthMB)],
    [`RSS growth, ${m.config.reloads} config-only reloads`, `${mb(m.config.rssGrowthMB)} (${m.config.perReloadKB} KB/reload)`, 'near flat', ''],
  ];
  const notes = [
    'Where the time goes (save → notification):',
    `  file change seen by a chokidar watcher in the bench process: p50 ${ms(l.parts.detectMs.p50)}`,
    '  debounce of the daemon\'s watcher: 100 ms of quiet',
    `  SIGHUP → list_changed (reload work alone, no watcher, no debounce): p50 ${ms(l.sighup.p50)}, p95 ${ms(l.sighup.p95)}`,
    `  save → "serving plugin" log line (swap done): p50 ${ms(l.parts.saveToSwapLogMs.p50)}; that line → notification: p50 ${ms(l.parts.swapLogToNoteMs.p50)}`,
    `Latency runs: ${l.timeouts} edits without a notification within 3 s, ${l.extraNotifications} extra notifications, ${l.staleAfterNotification} times old code/config served after the notification.`,
    `In-flight run: ${f.callsFinishedOnOldGeneration} calls finished on a generation already swapped out, ${f.callsSpanningSwap} spanned a notified swap, ${f.callsStale} sent after a swap but served by the old generation, ` +
      `call latency p50 ${ms(f.callLatencyMs.p50)} / p95 ${ms(f.callLatencyMs.p95)}, save → notification under load p50 ${ms(f.saveToNotificationMs.p50)}, ` +
      `last edit serving at the end: ${f.finalServesLatest ? 'yes' : 'NO'}, reload timeouts ${f.timeouts}.`,
    `Memory (VmRSS after warm-up vs after ${m.code.reloads} reloads, each after a settle period; checkpoints every 50 reloads, no settle):`,
    `  code:   ${m.code.before.rssMB} → ${m.code.after.rssMB} MB; checkpoints ${m.code.checkpoints.map((c) => c.rssMB).join(', ')}; JS heap used ${mb(m.code.heapUsedGrowthMB)} (no forced GC)`,
    `  config: ${m.config.before.rssMB} → ${m.config.after.rssMB} MB; checkpoints ${m.config.checkpoints.map((c) => c.rssMB).join(', ')}; JS heap used ${mb(m.config.heapUsedGrowthMB)} (no forced GC)`,
  ];
  const space = (s, name) => s.heap?.spaces?.[name]?.usedMB;
  for (const [kind, gc] of [['code', m.codeWithGc], ['config', m.configWithGc]]) {
    if (!gc) continue;
    const oldGrowth = space(gc.after, 'old_space') !== undefined && space(gc.before, 'old_space') !== undefined ? Math.round((space(gc.after, 'old_space') - space(gc.before, 'old_space')) * 10) / 10 : undefined;
    notes.push(
      `  ${kind}, daemon run with node --expose-gc (diagnosis only; the plugin forces a full GC before each reading): RSS ${mb(gc.rssGrowthMB)}, ` +
        `live heap after GC ${mb(gc.heapUsedGrowthMB)} (old space ${mb(oldGrowth)}) = ${gc.reloads ? Math.round((gc.heapUsedGrowthMB * 1024) / gc.reloads) : 'n/a'} KB kept per reload` +
        `${kind === 'code' ? ` of ${Math.round(gc.codeBytes / 1000)} KB of source` : ''}, heap reserved ${gc.before.heap?.heapTotalMB} → ${gc.after.heap?.heapTotalMB} MB.`,
    );
  }
  return `Hot reload bench (node ${r.node}${r.quick ? ', QUICK run: reduced counts' : ''}, ${r.seconds} s)\n\n${table(rows)}\n\n${notes.join('\n')}\n`;
}
