/**
 * Resources: per-container templates for logs, stats and inspect output (same caps and redaction as
 * the tools, container names completed), and the events resource. Subscribing to a container's logs
 * pushes throttled updates as new lines arrive; subscribing to events pushes one as they happen.
 */
import type { ResourceTemplateDefinition } from '../../../core/api/index.js';
import { seg } from '../engine/engine.js';
import { readEvents, renderEvents } from '../events/engine-events.js';
import type { DockerInstance } from '../instance.js';
import { containerName } from '../instance.js';
import { readLogs, renderLogs } from '../logs/read-logs.js';
import { toUnixSeconds } from '../logs/time-args.js';
import { redactDeep } from '../safety/redact.js';
import { CONTAINER_ID_PATTERN } from '../safety/refs.js';
import { readStats } from '../stats/compute.js';
import { EventWatch, RECENT_EVENTS } from './event-watch.js';
import { LogWatch } from './log-watch.js';

export const EVENTS_URI = 'docker://events';
const ID = new RegExp(CONTAINER_ID_PATTERN);
const LISTED = 50;
const QUICK_MS = 3000;

function idOf(variables: Record<string, string | string[]>): string {
  const raw = Array.isArray(variables.id) ? variables.id.join('/') : String(variables.id ?? '');
  let id: string;
  try {
    id = decodeURIComponent(raw);
  } catch {
    throw new Error(`bad percent-encoding in ${raw}`);
  }
  if (!ID.test(id)) throw new Error(`"${id}" is not a container id or name`);
  return id;
}

interface Listed {
  Id: string;
  Names: string[];
  State: string;
}

/** Container names starting with `prefix` (all containers, for completion). */
export async function completeContainer(d: DockerInstance, prefix: string): Promise<string[]> {
  try {
    const list = await d.engine.call<Listed[]>({ method: 'GET', path: '/containers/json', query: { all: true } }, undefined, QUICK_MS);
    return list.map((c) => containerName(c)).filter((n) => n.startsWith(prefix)).sort().slice(0, 100);
  } catch {
    return []; // Engine down: no suggestions rather than an error
  }
}

export function registerResources(d: DockerInstance): () => void {
  const logWatches = new Map<string, LogWatch>();
  let eventWatch: EventWatch | undefined;

  const template = (kind: 'logs' | 'stats' | 'inspect', def: Omit<ResourceTemplateDefinition, 'uriTemplate' | 'name' | 'complete'>): void => {
    d.ctx.resources.registerTemplate({
      uriTemplate: `docker://containers/{id}/${kind}`,
      name: `container-${kind}`,
      complete: (variable, value) => (variable === 'id' ? completeContainer(d, value) : []),
      ...def,
    });
  };

  template('logs', {
    title: 'Container logs',
    description: `The last lines of a container's log (stdout and stderr apart, at most ${d.config.maxLogBytes} bytes). Subscribe to hear when new lines arrive (at most one update per ${d.config.subscriptionThrottleMs} ms).`,
    mimeType: 'text/plain',
    list: async () => {
      try {
        const list = await d.engine.call<Listed[]>({ method: 'GET', path: '/containers/json', query: { all: true } }, undefined, QUICK_MS);
        return list.slice(0, LISTED).map((c) => ({ uri: `docker://containers/${encodeURIComponent(containerName(c))}/logs`, name: `logs of ${containerName(c)} (${c.State})`, mimeType: 'text/plain' }));
      } catch {
        return [];
      }
    },
    read: async (uri, variables, extra) => {
      const result = await readLogs(d, idOf(variables), {}, d.config.maxLogBytes, extra.signal);
      return { contents: [{ uri, mimeType: 'text/plain', text: renderLogs(result) }] };
    },
    subscribe: async (uri) => {
      if (logWatches.has(uri)) return;
      const info = await d.inspect(idOf({ id: uri.split('/')[3] ?? '' }));
      const watch = new LogWatch(d, info.Id, d.config.subscriptionThrottleMs, () => d.ctx.resources.notifyUpdated(uri));
      logWatches.set(uri, watch);
      watch.start();
    },
    unsubscribe: (uri) => {
      logWatches.get(uri)?.stop();
      logWatches.delete(uri);
    },
  });

  template('stats', {
    title: 'Container resource use',
    description: 'CPU %, memory used/limit/%, network and block I/O, PIDs of one container (JSON, one fresh sample).',
    mimeType: 'application/json',
    read: async (uri, variables, extra) => {
      const stats = await readStats(d, idOf(variables), extra.signal);
      return { contents: [{ uri, mimeType: 'application/json', text: JSON.stringify(stats, null, 2) }] };
    },
  });

  template('inspect', {
    title: 'Container details',
    description: "The Engine's description of one container, secret-looking values redacted (JSON).",
    mimeType: 'application/json',
    read: async (uri, variables, extra) => {
      const info = await d.engine.call({ method: 'GET', path: `/containers/${seg(idOf(variables))}/json` }, extra.signal);
      return { contents: [{ uri, mimeType: 'application/json', text: JSON.stringify(redactDeep(info), null, 2) }] };
    },
  });

  d.ctx.resources.register({
    uri: EVENTS_URI,
    name: 'events',
    title: 'Engine events',
    description: `The most recent Engine events (up to ${RECENT_EVENTS}; the last 15 minutes when nobody subscribes). Subscribe to be told as events happen.`,
    mimeType: 'text/plain',
    read: async (uri, extra) => {
      let events = eventWatch?.recent;
      if (!events) {
        const since = toUnixSeconds('15m', 'since')!;
        const until = toUnixSeconds(Date.now() / 1000, 'until')!;
        const all = await readEvents(d, { since, until, limit: 10000 }, extra.signal);
        events = all.events.slice(-RECENT_EVENTS);
      }
      return { contents: [{ uri, mimeType: 'text/plain', text: events.length ? renderEvents(events) : 'no recent events' }] };
    },
    subscribe: async () => {
      if (eventWatch) return;
      eventWatch = new EventWatch(d, () => d.ctx.resources.notifyUpdated(EVENTS_URI));
      await eventWatch.start();
    },
    unsubscribe: () => {
      eventWatch?.stop();
      eventWatch = undefined;
    },
  });

  return () => {
    for (const watch of logWatches.values()) watch.stop();
    logWatches.clear();
    eventWatch?.stop();
    eventWatch = undefined;
  };
}
