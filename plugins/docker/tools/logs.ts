/** container_logs: a bounded window of a container's log, stdout and stderr apart. */
import { textResult } from '../format/result.js';
import { DEFAULT_TAIL, readLogs, renderLogs } from '../logs/read-logs.js';
import { timeSchema } from '../logs/time-args.js';
import { containerIdSchema } from '../safety/refs.js';
import { READ_ONLY, type ToolFactory } from './annotations.js';

interface LogsArgs {
  id: string;
  tail?: number | 'all';
  since?: string | number;
  until?: string | number;
  grep?: string;
  timestamps?: boolean;
}

export const containerLogs: ToolFactory = (d) => ({
  name: 'container_logs',
  title: 'Read container logs',
  description:
    `Reads a window of a container's log: the last ${DEFAULT_TAIL} lines by default, or tail/since/until; grep keeps only lines containing that text (plain text, case-sensitive). ` +
    `stdout and stderr come apart. At most ${d.config.maxLogBytes} bytes are returned; a cut answer says "truncated" and how to narrow the window.`,
  inputSchema: {
    type: 'object',
    properties: {
      id: containerIdSchema,
      tail: { anyOf: [{ type: 'integer', minimum: 0, maximum: 1000000 }, { const: 'all' }], description: `Last N lines (default ${DEFAULT_TAIL}; "all" with since or grep)` },
      since: timeSchema,
      until: timeSchema,
      grep: { type: 'string', minLength: 1, maxLength: 1000, description: 'Only lines containing this text' },
      timestamps: { type: 'boolean', default: false, description: 'Prefix each line with its time' },
    },
    required: ['id'],
    additionalProperties: false,
  },
  annotations: READ_ONLY,
  handler: async (args: LogsArgs, extra) => {
    try {
      const result = await readLogs(d, args.id, args, d.config.maxLogBytes, extra.signal);
      return textResult(renderLogs(result), { ...result });
    } catch (error) {
      return d.failure(error);
    }
  },
});
