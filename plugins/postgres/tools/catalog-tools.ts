/** list_schemas, list_tables, describe_table: catalog reads in the same READ ONLY transaction as queries. */
import { DESCRIBE_TABLE, LIST_SCHEMAS, LIST_TABLES, renderDescription, type TableDescription } from '../catalog.js';
import type { PostgresInstance } from '../instance.js';
import { refusal, renderRows } from '../result-format.js';

const READ_ONLY = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false } as const;

export async function describeTable(pg: PostgresInstance, table: string, schema: string | undefined, signal: AbortSignal): Promise<TableDescription | undefined> {
  const result = await pg.run(DESCRIBE_TABLE, [pg.config.schemas ?? null, table, schema ?? null], { signal }, { maxBytes: 16 * 1024 * 1024, maxRows: 1 });
  return result.rows[0]?.[0] as TableDescription | undefined;
}

export function registerCatalogTools(pg: PostgresInstance): void {
  const caps = { maxRows: pg.config.maxRows, maxBytes: pg.config.maxResultBytes };

  pg.ctx.tools.register({
    name: 'list_schemas',
    title: 'List schemas',
    description: 'Lists the database schemas (without pg_* and information_schema), with owner, number of relations and comment.',
    inputSchema: { type: 'object', properties: {}, additionalProperties: false },
    annotations: READ_ONLY,
    handler: async (_args, extra) => {
      try {
        return renderRows(await pg.run(LIST_SCHEMAS, [pg.config.schemas ?? null], extra), caps);
      } catch (error) {
        return pg.failure(error);
      }
    },
  });

  pg.ctx.tools.register<{ schema?: string }>({
    name: 'list_tables',
    title: 'List tables',
    description: 'Lists tables, views, materialized views and foreign tables, with kind, estimated row count and comment. Optionally of one schema.',
    inputSchema: {
      type: 'object',
      properties: { schema: { type: 'string', minLength: 1, maxLength: 63 } },
      additionalProperties: false,
    },
    annotations: READ_ONLY,
    handler: async ({ schema }, extra) => {
      try {
        return renderRows(await pg.run(LIST_TABLES, [pg.config.schemas ?? null, schema ?? null, null], extra), caps);
      } catch (error) {
        return pg.failure(error);
      }
    },
  });

  pg.ctx.tools.register<{ table: string; schema?: string }>({
    name: 'describe_table',
    title: 'Describe a table',
    description: 'Columns (types, nullability, defaults, comments), primary key, foreign keys, constraints, indexes, estimated row count and comment of a table or view.',
    inputSchema: {
      type: 'object',
      properties: {
        table: { type: 'string', minLength: 1, maxLength: 63, description: 'Table name (as stored: case-sensitive, unquoted)' },
        schema: { type: 'string', minLength: 1, maxLength: 63, description: 'Schema; default: the first on the search path that has it' },
      },
      required: ['table'],
      additionalProperties: false,
    },
    annotations: READ_ONLY,
    handler: async ({ table, schema }, extra) => {
      try {
        const description = await describeTable(pg, table, schema, extra.signal);
        if (!description) return refusal(`no table or view "${table}"${schema ? ` in schema "${schema}"` : ' on the search path'}`);
        return { content: [{ type: 'text', text: renderDescription(description) }], structuredContent: { ...description } };
      } catch (error) {
        return pg.failure(error);
      }
    },
  });
}
