import type { PostgresInstance } from '../instance.js';

export const paramsSchema = {
  type: 'array',
  description: 'Values for $1, $2, ... placeholders (sent as parameters, never spliced into the SQL).',
  items: { type: ['string', 'number', 'boolean', 'null'] },
  maxItems: 1000,
};

export function registerQuery(pg: PostgresInstance): void {
  pg.ctx.tools.register<{ sql: string; params?: unknown[]; maxRows?: number }>({
    name: 'query',
    title: 'Run a read-only SQL query',
    description:
      'Runs one read-only SQL statement (SELECT, WITH ... SELECT, TABLE, VALUES) in a READ ONLY transaction that is rolled back. ' +
      `Returns at most ${pg.config.maxRows} rows and ${pg.config.maxResultBytes} bytes; a cut result says "truncated" and how to page. ` +
      'Use $1, $2 with params for values.',
    inputSchema: {
      type: 'object',
      properties: {
        sql: { type: 'string', minLength: 1, maxLength: 200000, description: 'One SQL statement' },
        params: paramsSchema,
        maxRows: { type: 'integer', minimum: 1, maximum: pg.config.maxRows, description: `Fewer rows than the default ${pg.config.maxRows}` },
      },
      required: ['sql'],
      additionalProperties: false,
    },
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    handler: ({ sql, params, maxRows }, extra) => pg.guarded('read', sql, params, maxRows, extra),
  });
}
