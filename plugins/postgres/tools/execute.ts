import type { PostgresInstance } from '../instance.js';
import { paramsSchema } from './query.js';

/** Registered only when the instance's config says allowWrites: true. */
export function registerExecute(pg: PostgresInstance): void {
  pg.ctx.tools.register<{ sql: string; params?: unknown[] }>({
    name: 'execute',
    title: 'Run a writing SQL statement',
    description:
      'Runs one SQL statement that may change data or schema (INSERT, UPDATE, DELETE, CREATE, ...) in its own transaction, committed when it succeeds. ' +
      'Transaction control, COPY, DO, CALL and session commands are refused. Use $1, $2 with params for values.',
    inputSchema: {
      type: 'object',
      properties: { sql: { type: 'string', minLength: 1, maxLength: 200000 }, params: paramsSchema },
      required: ['sql'],
      additionalProperties: false,
    },
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
    handler: ({ sql, params }, extra) => pg.guarded('write', sql, params, undefined, extra),
  });
}
