/** container_stats: computed figures, not the raw blob. */
import { textResult } from '../format/result.js';
import { containerIdSchema } from '../safety/refs.js';
import { readStats, renderStats } from '../stats/compute.js';
import { READ_ONLY, type ToolFactory } from './annotations.js';

export const containerStats: ToolFactory = (d) => ({
  name: 'container_stats',
  title: 'Container resource use',
  description: 'CPU % (over about one second), memory used / limit / %, network and block I/O totals and PIDs of one container, computed like docker stats.',
  inputSchema: { type: 'object', properties: { id: containerIdSchema }, required: ['id'], additionalProperties: false },
  annotations: READ_ONLY,
  handler: async ({ id }: { id: string }, extra) => {
    try {
      const stats = await readStats(d, id, extra.signal);
      return textResult(renderStats(stats), { ...stats });
    } catch (error) {
      return d.failure(error);
    }
  },
});
