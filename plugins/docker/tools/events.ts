/** events: what happened on the Engine in a time window. */
import { BadArgument } from '../engine/errors.js';
import { readEvents, renderEvents } from '../events/engine-events.js';
import { textResult } from '../format/result.js';
import { timeSchema, toUnixSeconds } from '../logs/time-args.js';
import { READ_ONLY, type ToolFactory } from './annotations.js';
import { filtersSchema } from './containers.js';

export const events: ToolFactory = (d) => ({
  name: 'events',
  title: 'Engine events',
  description:
    'What happened on the Engine between since (default: 15 minutes ago) and until (default: now): containers created, started, died (with exit code), killed, OOM, images pulled, ... ' +
    'filters: type, container, event, image, label. At most limit events (default 200), oldest first.',
  inputSchema: {
    type: 'object',
    properties: {
      since: timeSchema,
      until: timeSchema,
      filters: filtersSchema,
      limit: { type: 'integer', minimum: 1, maximum: 2000, default: 200 },
    },
    additionalProperties: false,
  },
  annotations: READ_ONLY,
  handler: async (args: { since?: string | number; until?: string | number; filters?: Record<string, string[]>; limit?: number }, extra) => {
    try {
      const since = toUnixSeconds(args.since ?? '15m', 'since')!;
      const until = toUnixSeconds(args.until ?? Date.now() / 1000, 'until')!;
      if (Number(until) < Number(since)) return d.failure(new BadArgument('until is before since'));
      const limit = args.limit ?? 200;
      const { events: list, truncated } = await readEvents(d, { since, until, filters: args.filters, limit }, extra.signal);
      const text = [
        list.length ? renderEvents(list) : 'no events in that window',
        `(${list.length} event${list.length === 1 ? '' : 's'} from ${new Date(Number(since) * 1000).toISOString()} to ${new Date(Number(until) * 1000).toISOString()})`,
        ...(truncated ? [`truncated: more than ${limit} events; use a later since or filters.`] : []),
      ].join('\n');
      return textResult(text, { events: list, truncated });
    } catch (error) {
      return d.failure(error);
    }
  },
});
