/**
 * Reads one window of a container's log (tail / since / until, optionally only lines holding `grep`)
 * by streaming: frames are demultiplexed into stdout and stderr as they arrive and the response is
 * destroyed as soon as the byte cap is reached, so a multi-gigabyte log costs no more than the cap.
 */
import { seg } from '../engine/engine.js';
import type { ContainerInspect, DockerInstance } from '../instance.js';
import { containerName } from '../instance.js';
import { OutputCollector, type Collected } from '../streams/collector.js';
import { Demuxer } from '../streams/demux.js';
import { readStream } from '../streams/read-stream.js';
import { toUnixSeconds } from './time-args.js';

/** How much a grep may read to find its lines. */
export const LOG_SCAN_LIMIT = 64 * 1024 * 1024;
export const DEFAULT_TAIL = 100;

export interface LogWindow {
  tail?: number | 'all';
  since?: string | number;
  until?: string | number;
  grep?: string;
  timestamps?: boolean;
}

export interface LogsResult extends Collected {
  id: string;
  name: string;
  tty: boolean;
  window: { tail: number | 'all'; since?: string; until?: string; grep?: string };
  /** When the last `tail` lines did not fit: how many of the newest lines are shown. */
  shownTail?: number;
  hint?: string;
}

async function readWindow(
  d: DockerInstance,
  info: ContainerInspect,
  query: { tail: number | 'all'; since?: string; until?: string; grep?: string; timestamps?: boolean },
  maxBytes: number,
  signal?: AbortSignal,
): Promise<Collected> {
  const response = await d.engine.open(
    {
      method: 'GET',
      path: `/containers/${seg(info.Id)}/logs`,
      query: { stdout: true, stderr: true, follow: false, tail: String(query.tail), since: query.since, until: query.until, timestamps: query.timestamps === true },
    },
    signal,
  );
  const collector = new OutputCollector(maxBytes, { grep: query.grep, scanLimit: LOG_SCAN_LIMIT });
  const demux = new Demuxer(collector.push, info.Config.Tty);
  const outcome = await readStream(response, (chunk) => demux.push(chunk), { signal, deadlineMs: d.config.apiTimeoutMs, label: 'logs' });
  if (outcome.ended === 'deadline') collector.stop('timeout');
  return collector.result();
}

/** Most re-reads with a smaller tail when the last N lines do not fit the cap. */
const TAIL_RETRIES = 4;

export async function readLogs(d: DockerInstance, id: string, window: LogWindow, maxBytes: number, signal?: AbortSignal, known?: ContainerInspect): Promise<LogsResult> {
  const since = toUnixSeconds(window.since, 'since');
  const until = toUnixSeconds(window.until, 'until');
  const tail = window.tail ?? (since !== undefined || window.grep ? 'all' : DEFAULT_TAIL);
  const info = known ?? (await d.inspect(id, signal));
  const query = { tail, since, until, grep: window.grep, timestamps: window.timestamps };
  let result = await readWindow(d, info, query, maxBytes, signal);
  // "The last N lines" must end with the newest line: when they do not fit, read fewer of them (each read
  // is cut at the cap as well) rather than answer with the oldest part of the window.
  let shownTail = tail;
  for (let i = 0; i < TAIL_RETRIES && typeof shownTail === 'number' && !window.grep && result.truncatedBy === 'maxBytes'; i++) {
    const fitted = result.stdoutLines + result.stderrLines;
    if (fitted < 1 || fitted >= shownTail) break;
    shownTail = fitted;
    result = await readWindow(d, info, { ...query, tail: shownTail }, maxBytes, signal);
  }
  const shownWindow = { tail, ...(since ? { since } : {}), ...(until ? { until } : {}), ...(window.grep ? { grep: window.grep } : {}) };
  const lines = result.stdoutLines + result.stderrLines;
  let hint: string | undefined;
  if (shownTail !== tail && result.truncatedBy !== 'maxBytes') {
    hint = `truncated: the last ${tail} lines are more than ${maxBytes} bytes (maxLogBytes), so these are the last ${shownTail}. Use until to page back, or grep to keep only matching lines.`;
  } else if (result.truncatedBy === 'maxBytes') {
    hint =
      `truncated: the answer stopped at ${maxBytes} bytes (maxLogBytes) after ${lines} line(s); the window holds more. ` +
      (tail === 'all' || since ? 'Narrow it with since/until, ' : `For the most recent lines use a smaller tail (e.g. tail: ${Math.max(1, Math.floor(lines / 2))}), `) +
      (window.grep ? 'or a more specific grep.' : 'or use grep to keep only matching lines.');
  } else if (result.truncatedBy === 'scanLimit') {
    hint = `truncated: stopped after reading ${Math.round(result.scannedBytes / 1048576)} MB of log without reaching the end of the window; narrow it with since/until or tail.`;
  } else if (result.truncatedBy === 'timeout') {
    hint = `truncated: reading stopped after apiTimeoutMs (${d.config.apiTimeoutMs} ms); narrow the window with since/until or tail.`;
  }
  const truncated = result.truncated || shownTail !== tail;
  return {
    id: info.Id,
    name: containerName(info),
    tty: info.Config.Tty,
    window: shownWindow,
    ...result,
    truncated,
    ...(typeof shownTail === 'number' && shownTail !== tail ? { shownTail } : {}),
    ...(hint ? { hint } : {}),
  };
}

/** The text a model reads: the two streams apart, then the truncation note. */
export function renderLogs(r: LogsResult): string {
  const window = [`tail=${r.window.tail}`, r.window.since && `since=${r.window.since}`, r.window.until && `until=${r.window.until}`, r.window.grep && `grep=${JSON.stringify(r.window.grep)}`]
    .filter(Boolean)
    .join(' ');
  const parts = [`logs of ${r.name} (${r.id.slice(0, 12)}), ${window}${r.tty ? ' (TTY: one combined stream)' : ''}`];
  parts.push(`--- stdout (${r.stdoutLines} line${r.stdoutLines === 1 ? '' : 's'}) ---`);
  if (r.stdout) parts.push(r.stdout.replace(/\n$/, ''));
  if (!r.tty) parts.push(`--- stderr (${r.stderrLines} line${r.stderrLines === 1 ? '' : 's'}) ---`);
  if (!r.tty && r.stderr) parts.push(r.stderr.replace(/\n$/, ''));
  if (r.hint) parts.push(r.hint);
  return parts.join('\n');
}
