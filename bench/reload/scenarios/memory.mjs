// Scenario 3: the daemon's RSS over many reloads of the multi-file plugin (entry + 5 imported files,
// ~50 KB). Code edits make each reload import a new module graph (ES modules cannot be unloaded);
// config-only edits build a new generation from the module already loaded. One fresh daemon per
// kind, so garbage of one phase is never collected in the other. RSS from /proc/<pid>/status after
// a warm-up and after a settle period; the plugin's `mem` tool adds the JS heap figures.
import { performance } from 'node:perf_hooks';
import { startDaemon, sleep } from '../lib/daemon.mjs';
import { IMPORTED, ReloadFixture } from '../lib/fixture.mjs';
import { round, summarize } from '../lib/stats.mjs';

const LIST_CHANGED = 'notifications/tools/list_changed';

/** `kind`: 'code' or 'config'. `nodeArgs` for the daemon (reported with the figures). */
export async function memoryScenario({ kind, reloads = 200, warmup = 10, settleMs = 3000, nodeArgs = [], deadlineMs = 90_000, isolation } = {}) {
  const fixture = new ReloadFixture({ isolation });
  const daemon = await startDaemon(fixture.configPath, 'multi__echo', { nodeArgs }).catch((error) => {
    fixture.remove();
    throw error;
  });
  const stopAt = performance.now() + deadlineMs;
  let edits = 0;
  let timeouts = 0;
  const timeoutLogs = []; // the daemon's log lines after an edit whose notification never came
  const latencies = [];
  const reload = async () => {
    edits++;
    const waiting = daemon.nextNotification(LIST_CHANGED, 3000);
    const t0 = performance.now();
    const logsBefore = daemon.logs.length;
    if (kind === 'code') fixture.bumpRevision(IMPORTED[edits % IMPORTED.length]);
    else fixture.setTag(`mem-${edits}`);
    const note = await waiting;
    if (!note) {
      timeouts++;
      if (timeoutLogs.length < 3) timeoutLogs.push({ edit: edits, logs: daemon.logs.slice(logsBefore).map((l) => l.line.slice(0, 300)) });
    } else latencies.push(note.at - t0);
    // A call per reload: the new generation really serves, and its code gets compiled as in use.
    await daemon.callTool('multi__echo', { text: 'x' }, 5000);
    await sleep(5);
  };
  const measure = async () => {
    await sleep(settleMs);
    const { ok, result } = await daemon.callTool('multi__mem', {}, 10_000);
    const heap = ok ? JSON.parse(result.content[0].text) : undefined;
    return { rssMB: round(daemon.rssMB(), 2), heap };
  };
  try {
    for (let i = 0; i < warmup; i++) await reload();
    const before = await measure();
    let done = 0;
    const t0 = performance.now();
    const checkpoints = []; // RSS every 50 reloads (no settle): is it a slope or a plateau?
    for (; done < reloads && performance.now() < stopAt; done++) {
      await reload();
      if ((done + 1) % 50 === 0) checkpoints.push({ reloads: done + 1, rssMB: round(daemon.rssMB(), 1) });
    }
    const seconds = (performance.now() - t0) / 1000;
    const after = await measure();
    const echo = await daemon.callTool('multi__echo', { text: 'x' }, 5000);
    const value = echo.ok ? JSON.parse(echo.result.content[0].text) : {};
    const servesLatest = kind === 'code' ? value.rev === fixture.revString() : value.tag === fixture.instance.config.tag;
    return {
      kind,
      reloads: done,
      timeouts,
      timeoutLogs,
      seconds: round(seconds),
      nodeArgs,
      codeBytes: fixture.codeBytes,
      before,
      after,
      checkpoints,
      rssGrowthMB: round(after.rssMB - before.rssMB, 2),
      heapUsedGrowthMB: before.heap && after.heap ? round(after.heap.heapUsedMB - before.heap.heapUsedMB, 2) : undefined,
      perReloadKB: done ? round(((after.rssMB - before.rssMB) * 1024) / done, 1) : undefined,
      saveToNotificationMs: summarize(latencies),
      servesLatest,
    };
  } finally {
    await daemon.stop();
    fixture.remove();
  }
}
