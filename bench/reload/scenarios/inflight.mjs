// Scenario 2: reloads while calls are in flight. 16 workers each keep one tools/call running at all
// times against the instance being reloaded (every 4th call sleeps 50 ms so it spans swaps, the
// others 2 ms), while the bench alternates config edits (new tag) and code edits (new REV) and
// waits for each list_changed. Any JSON-RPC error or isError result is a failed call.
import { performance } from 'node:perf_hooks';
import { startDaemon, sleep } from '../lib/daemon.mjs';
import { IMPORTED, ReloadFixture } from '../lib/fixture.mjs';
import { summarize } from '../lib/stats.mjs';

const LIST_CHANGED = 'notifications/tools/list_changed';

export async function inflightScenario({ reloads = 50, concurrency = 16, slowMs = 50, fastMs = 2, deadlineMs = 60_000 } = {}) {
  const fixture = new ReloadFixture();
  const daemon = await startDaemon(fixture.configPath, 'multi__echo').catch((error) => {
    fixture.remove();
    throw error;
  });
  const stopAt = performance.now() + deadlineMs;
  const calls = { done: 0, failed: 0, spanningSwap: 0, finishedOnOld: 0, stale: 0 };
  const failures = [];
  const latencies = [];
  const swaps = []; // arrival times of list_changed
  let running = true;
  // Every state the instance has been in, in order; a result names its state by its tag and rev.
  const states = [{ tag: fixture.instance.config.tag, rev: fixture.revString() }];
  const stateOf = (value) => states.findLastIndex((s) => s.tag === value.tag && s.rev === value.rev);

  const worker = async (w) => {
    for (let i = 0; running && performance.now() < stopAt; i++) {
      const ms = i % 4 === w % 4 ? slowMs : fastMs;
      const start = performance.now();
      const live = states.length - 1; // notified before this call was sent: it must serve the call (or a newer one)
      const { ok, result, error, at } = await daemon.callTool('multi__echo', { text: `w${w}-${i}`, ms }, 10_000);
      calls.done++;
      latencies.push(at - start);
      if (!ok) {
        calls.failed++;
        if (failures.length < 5) failures.push(typeof error === 'string' ? error : JSON.stringify(error));
        continue;
      }
      if (swaps.some((t) => t > start && t < at)) calls.spanningSwap++;
      const served = stateOf(JSON.parse(result.content[0].text));
      if (served >= 0 && served < live) calls.stale++;
      if (served >= 0 && served < states.length - 1) calls.finishedOnOld++;
    }
  };

  let reloaded = 0;
  let timeouts = 0;
  const reloadTimes = [];
  const workers = Array.from({ length: concurrency }, (_, w) => worker(w));
  try {
    await sleep(200); // the workers get going before the first edit
    for (let r = 1; r <= reloads && performance.now() < stopAt; r++) {
      const waiting = daemon.nextNotification(LIST_CHANGED, 3000);
      const t0 = performance.now();
      const next = { ...states.at(-1) };
      if (r % 2 === 1) fixture.setTag((next.tag = `stress-${r}`));
      else next.rev = fixture.bumpRevision(IMPORTED[(r / 2) % IMPORTED.length]);
      const note = await waiting;
      if (!note) {
        timeouts++;
        continue;
      }
      swaps.push(note.at);
      reloadTimes.push(note.at - t0);
      states.push(next);
      reloaded++;
      await sleep(20 + (r % 5) * 10); // varied spacing, so swaps land at different points of running calls
    }
    await sleep(slowMs * 2);
  } finally {
    running = false;
    await Promise.all(workers);
  }
  // The last edits must be what serves now.
  const final = await daemon.callTool('multi__echo', { text: 'final' }, 5000);
  const finalValue = final.ok ? JSON.parse(final.result.content[0].text) : undefined;
  await daemon.stop();
  fixture.remove();
  return {
    reloads: reloaded,
    timeouts,
    concurrency,
    callsDone: calls.done,
    callsFailed: calls.failed,
    failures,
    callsSpanningSwap: calls.spanningSwap,
    /** Answered by a generation already replaced when the answer came: calls that completed on the old one across a swap. */
    callsFinishedOnOldGeneration: calls.finishedOnOld,
    /** Sent after a swap was notified yet answered by an older generation: must be 0. */
    callsStale: calls.stale,
    callLatencyMs: summarize(latencies),
    saveToNotificationMs: summarize(reloadTimes),
    finalServesLatest: finalValue !== undefined && stateOf(finalValue) === states.length - 1,
    badStdoutLines: daemon.badLines.length,
  };
}
