/** Prompts: explore the database, explain a slow query. */
import type { PostgresInstance } from './instance.js';
import { completeSchema } from './resources.js';

export function registerPrompts(pg: PostgresInstance): void {
  const ns = pg.ctx.namespace ? `${pg.ctx.namespace}__` : '';
  pg.ctx.prompts.register({
    name: 'explore_database',
    title: 'Explore the database',
    description: 'Asks the model to map the database: schemas, main tables, how they relate, and what questions the data can answer.',
    arguments: [{ name: 'schema', description: 'Focus on one schema (optional)', required: false }],
    get: ({ schema }) => ({
      messages: [
        {
          role: 'user',
          content: {
            type: 'text',
            text:
              `Explore the PostgreSQL database "${pg.pool.target.database}"${schema ? `, schema "${schema}"` : ''}. ` +
              `Use ${ns}list_schemas and ${ns}list_tables to see what exists, ${ns}describe_table on the central tables, ` +
              `and small ${ns}query calls (with LIMIT) to look at sample rows. Then summarise: the main entities, how they relate ` +
              '(foreign keys), row counts, and five questions this data can answer.',
          },
        },
      ],
    }),
    complete: (argument, value) => (argument === 'schema' ? completeSchema(pg, value) : []),
  });

  pg.ctx.prompts.register({
    name: 'explain_slow_query',
    title: 'Explain a slow query',
    description: 'Asks the model to find out why a query is slow and how to speed it up.',
    arguments: [{ name: 'sql', description: 'The slow SELECT', required: true }],
    get: ({ sql }) => ({
      messages: [
        {
          role: 'user',
          content: {
            type: 'text',
            text:
              `This query is slow:\n\n${sql}\n\nRun ${ns}explain on it (first without analyze; with analyze: true only if it is safe to run), ` +
              `look at the tables involved with ${ns}describe_table (indexes, row estimates), and explain where the time goes ` +
              '(sequential scans, misestimates, sorts spilling, nested loops). Propose concrete fixes: indexes, rewrites, statistics.',
          },
        },
      ],
    }),
  });
}
