// Scenario 1: file save → notifications/tools/list_changed at the client, for plugins.json edits
// (config change, toggle) and for edits of a file the plugin's entry imports. Each sample waits for
// its notification (bounded) and a quiet gap, so bursts never overlap; late extra notifications are
// counted. A chokidar watcher in the bench process and SIGHUP reloads split the time into parts.
import { performance } from 'node:perf_hooks';
import { watch } from 'chokidar';
import { startDaemon, sleep } from '../lib/daemon.mjs';
import { IMPORTED, ReloadFixture } from '../lib/fixture.mjs';
import { summarize } from '../lib/stats.mjs';

const LIST_CHANGED = 'notifications/tools/list_changed';
const NOTIFY_TIMEOUT_MS = 3000;
/** After each notification: a quiet time in which a second notification for the same save would show up. */
const QUIET_MS = 200;

export async function latencyScenario({ samples = 30, toggles = 20, sighups = 10, deadlineMs = 60_000 } = {}) {
  const fixture = new ReloadFixture();
  const daemon = await startDaemon(fixture.configPath, 'multi__echo').catch((error) => {
    fixture.remove();
    throw error;
  });
  const watcher = watch(fixture.dir, { ignoreInitial: true });
  await new Promise((resolve) => watcher.once('ready', resolve));
  const seen = [];
  watcher.on('all', (_event, path) => seen.push({ at: performance.now(), path }));
  const stopAt = performance.now() + deadlineMs;
  const series = { configChange: [], toggle: [], codeEdit: [], sighup: [] };
  const parts = { detectMs: [], saveToSwapLogMs: [], swapLogToNoteMs: [] };
  let timeouts = 0;
  let extraNotifications = 0;
  let staleAfterNotification = 0;

  /** One edit → its notification. `check` (optional) runs after it: the new generation must be serving. */
  const sample = async (kind, edit, check) => {
    if (performance.now() > stopAt) return;
    const waiting = daemon.nextNotification(LIST_CHANGED, NOTIFY_TIMEOUT_MS);
    const seenBefore = seen.length;
    const logsBefore = daemon.logs.length;
    const t0 = performance.now();
    edit();
    const note = await waiting;
    if (!note) {
      timeouts++;
      await sleep(QUIET_MS);
      return;
    }
    series[kind].push(note.at - t0);
    const detected = seen.slice(seenBefore)[0];
    if (detected && kind !== 'sighup') parts.detectMs.push(detected.at - t0);
    const swapLog = daemon.logs.slice(logsBefore).find((l) => /serving plugin "reload-multi"/.test(l.line));
    if (swapLog) {
      parts.saveToSwapLogMs.push(swapLog.at - t0);
      parts.swapLogToNoteMs.push(note.at - swapLog.at);
    }
    if (check && !(await check())) staleAfterNotification++;
    const countBefore = daemon.notifications.length;
    await sleep(QUIET_MS);
    extraNotifications += daemon.notifications.slice(countBefore).filter((n) => n.method === LIST_CHANGED).length;
  };
  const serves = async (expect) => {
    const { ok, result } = await daemon.callTool('multi__echo', { text: 'x' }, 5000);
    if (!ok) return false;
    const value = JSON.parse(result.content[0].text);
    return Object.entries(expect).every(([k, v]) => value[k] === v);
  };

  await sleep(300); // start-up settles: no stray notification counts against the first sample
  try {
    for (let i = 1; i <= samples; i++) {
      const tag = `lat-${i}`;
      await sample('configChange', () => fixture.setTag(tag), () => serves({ tag }));
    }
    for (let i = 0; i < toggles; i++) {
      const enabled = i % 2 === 1;
      await sample('toggle', () => fixture.setEnabled(enabled), enabled ? () => serves({}) : undefined);
    }
    if (!fixture.instance.enabled) {
      await sample('toggle', () => fixture.setEnabled(true));
    }
    for (let i = 0; i < samples; i++) {
      const file = IMPORTED[i % IMPORTED.length];
      let rev;
      await sample('codeEdit', () => (rev = fixture.bumpRevision(file)), () => serves({ rev }));
    }
    for (let i = 0; i < sighups; i++) {
      await sample('sighup', () => process.kill(daemon.pid, 'SIGHUP'));
    }
  } finally {
    await watcher.close();
    await daemon.stop();
    fixture.remove();
  }
  return {
    configChange: summarize(series.configChange),
    toggle: summarize(series.toggle),
    codeEdit: summarize(series.codeEdit),
    sighup: summarize(series.sighup),
    parts: {
      detectMs: summarize(parts.detectMs),
      saveToSwapLogMs: summarize(parts.saveToSwapLogMs),
      swapLogToNoteMs: summarize(parts.swapLogToNoteMs),
    },
    timeouts,
    extraNotifications,
    staleAfterNotification,
    codeBytes: fixture.codeBytes,
    badStdoutLines: daemon.badLines.length,
  };
}
