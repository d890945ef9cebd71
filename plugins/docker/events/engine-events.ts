/**
 * Engine events (GET /events): newline-delimited JSON, parsed as it streams. Each event is reduced to
 * what a reader needs (time, type, action, object id and name, image, exit code, signal): the raw
 * attributes repeat the container's labels, which may hold secrets.
 */
import { StringDecoder } from 'node:string_decoder';
import type { DockerInstance } from '../instance.js';
import { redactText } from '../safety/redact.js';
import { readStream } from '../streams/read-stream.js';

export interface RawEvent {
  Type?: string;
  Action?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
  time?: number;
  timeNano?: number;
}

export interface DockerEvent {
  time: string;
  type: string;
  action: string;
  id: string;
  name?: string;
  image?: string;
  exitCode?: string;
  signal?: string;
}

export function compactEvent(raw: RawEvent): DockerEvent {
  const attrs = raw.Actor?.Attributes ?? {};
  const time = raw.timeNano ? new Date(raw.timeNano / 1e6).toISOString() : new Date((raw.time ?? 0) * 1000).toISOString();
  const id = raw.Actor?.ID ?? '';
  return {
    time,
    type: raw.Type ?? 'unknown',
    // exec actions carry the command line ("exec_create: mysql --password=...").
    action: redactText(raw.Action ?? 'unknown'),
    id: /^[a-f0-9]{64}$/.test(id) ? id.slice(0, 12) : id,
    ...(attrs.name ? { name: attrs.name } : {}),
    ...(attrs.image ? { image: attrs.image } : {}),
    ...(attrs.exitCode !== undefined ? { exitCode: attrs.exitCode } : {}),
    ...(attrs.signal !== undefined ? { signal: attrs.signal } : {}),
  };
}

/** Splits a byte stream into JSON lines; calls `onEvent` per parsed line (bad lines are skipped). */
export class EventLineParser {
  private partial = '';
  private readonly decoder = new StringDecoder('utf8');

  constructor(private readonly onEvent: (event: RawEvent) => boolean) {}

  push(chunk: Buffer): boolean {
    const text = this.partial + this.decoder.write(chunk);
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    if (this.partial.length > 1024 * 1024) this.partial = ''; // not an event stream: never hold a runaway line
    for (const line of lines) {
      if (!line.trim()) continue;
      let event: RawEvent;
      try {
        event = JSON.parse(line) as RawEvent;
      } catch {
        continue;
      }
      if (!this.onEvent(event)) return false;
    }
    return true;
  }
}

export interface EventQuery {
  since: string;
  until: string;
  filters?: Record<string, string[]>;
  limit: number;
}

/** The events between since and until (unix seconds), at most `limit` (the oldest first). */
export async function readEvents(d: DockerInstance, query: EventQuery, signal?: AbortSignal): Promise<{ events: DockerEvent[]; truncated: boolean }> {
  const response = await d.engine.open(
    { method: 'GET', path: '/events', query: { since: query.since, until: query.until, filters: query.filters && Object.keys(query.filters).length > 0 ? query.filters : undefined } },
    signal,
  );
  const events: DockerEvent[] = [];
  let truncated = false;
  const parser = new EventLineParser((raw) => {
    if (events.length >= query.limit) {
      truncated = true;
      return false;
    }
    events.push(compactEvent(raw));
    return true;
  });
  const outcome = await readStream(response, (chunk) => parser.push(chunk), { signal, deadlineMs: d.config.apiTimeoutMs, label: 'events' });
  return { events, truncated: truncated || outcome.ended === 'deadline' };
}

export function renderEvents(events: DockerEvent[]): string {
  return events
    .map((e) => `${e.time} ${e.type} ${e.action} ${e.name ?? e.id}${e.image ? ` image=${e.image}` : ''}${e.exitCode !== undefined ? ` exitCode=${e.exitCode}` : ''}${e.signal !== undefined ? ` signal=${e.signal}` : ''}`)
    .join('\n');
}
