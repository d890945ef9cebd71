/** The schema overview resource and the per-table template (with completion of schema and table names). */
import { LIST_SCHEMAS, LIST_TABLES, renderDescription } from './catalog.js';
import type { PostgresInstance } from './instance.js';
import { describeTable } from './tools/catalog-tools.js';

const COMPLETION_LIMIT = 100;

async function tableNames(pg: PostgresInstance, schema: string | undefined, prefix: string, limit: number): Promise<{ schema: string; name: string }[]> {
  const result = await pg.run(LIST_TABLES, [pg.config.schemas ?? null, schema ?? null, prefix || null], { signal: AbortSignal.timeout(5000) }, { maxRows: limit });
  return result.rows.map((r) => ({ schema: String(r[0]), name: String(r[1]) }));
}

export async function completeTable(pg: PostgresInstance, value: string, schema?: string): Promise<string[]> {
  try {
    return [...new Set((await tableNames(pg, schema || undefined, value, COMPLETION_LIMIT)).map((t) => t.name))];
  } catch {
    return []; // database down: no suggestions rather than an error
  }
}

export async function completeSchema(pg: PostgresInstance, value: string): Promise<string[]> {
  try {
    const result = await pg.run(LIST_SCHEMAS, [pg.config.schemas ?? null], { signal: AbortSignal.timeout(5000) });
    return result.rows.map((r) => String(r[0])).filter((s) => s.startsWith(value));
  } catch {
    return [];
  }
}

export function registerResources(pg: PostgresInstance): void {
  pg.ctx.resources.register({
    uri: 'postgres://schema',
    name: 'schema',
    title: 'Database schema overview',
    description: 'Every schema with its tables and views (kind, estimated rows, comment).',
    mimeType: 'application/json',
    read: async (uri, extra) => {
      const result = await pg.run(LIST_TABLES, [pg.config.schemas ?? null, null, null], extra, { maxRows: 10000, maxBytes: 8 * 1024 * 1024 });
      const schemas: Record<string, { name: string; kind: string; rowEstimate: unknown; comment: unknown }[]> = {};
      for (const [schema, name, kind, rowEstimate, comment] of result.rows) {
        (schemas[String(schema)] ??= []).push({ name: String(name), kind: String(kind), rowEstimate, comment });
      }
      const body = { database: pg.pool.target.database, schemas, truncated: result.truncated };
      return { contents: [{ uri, mimeType: 'application/json', text: JSON.stringify(body, null, 2) }] };
    },
  });

  pg.ctx.resources.registerTemplate({
    uriTemplate: 'postgres://table/{schema}/{table}',
    name: 'table',
    title: 'Table structure',
    description: 'Columns, keys, indexes and comments of one table or view.',
    mimeType: 'text/plain',
    list: async () => {
      try {
        const tables = await tableNames(pg, undefined, '', 200);
        return tables.map((t) => ({ uri: `postgres://table/${encodeURIComponent(t.schema)}/${encodeURIComponent(t.name)}`, name: `${t.schema}.${t.name}`, mimeType: 'text/plain' }));
      } catch {
        return [];
      }
    },
    read: async (uri, vars, extra) => {
      const schema = decodeURIComponent(String(vars.schema));
      const table = decodeURIComponent(String(vars.table));
      const description = await describeTable(pg, table, schema, extra.signal);
      if (!description) throw new Error(`no table or view "${table}" in schema "${schema}"`);
      return { contents: [{ uri, mimeType: 'text/plain', text: renderDescription(description) }] };
    },
    complete: (variable, value, context) =>
      variable === 'schema' ? completeSchema(pg, value) : completeTable(pg, value, context.schema),
  });
}
