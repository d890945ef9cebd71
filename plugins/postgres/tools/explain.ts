import type { PostgresInstance } from '../instance.js';
import { explainSql } from '../sql-guard.js';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Total Cost'?: number;
  'Plan Rows'?: number;
  'Actual Total Time'?: number;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  Plans?: PlanNode[];
}

function renderPlan(node: PlanNode, depth: number, lines: string[]): void {
  const on = node['Relation Name'] ? ` on ${node['Relation Name']}` : '';
  const idx = node['Index Name'] ? ` using ${node['Index Name']}` : '';
  const est = `cost=${node['Total Cost']} rows=${node['Plan Rows']}`;
  const actual = node['Actual Total Time'] !== undefined ? ` actual time=${node['Actual Total Time']}ms rows=${node['Actual Rows']} loops=${node['Actual Loops']}` : '';
  lines.push(`${'  '.repeat(depth)}${depth ? '-> ' : ''}${node['Node Type']}${idx}${on} (${est}${actual})`);
  for (const child of node.Plans ?? []) renderPlan(child, depth + 1, lines);
}

export function registerExplain(pg: PostgresInstance): void {
  pg.ctx.tools.register<{ sql: string; analyze?: boolean }>({
    name: 'explain',
    title: 'Explain a query plan',
    description:
      'Shows the plan of a read-only SELECT (EXPLAIN, FORMAT JSON). With analyze: true the query really runs (in a READ ONLY transaction that is rolled back, under the statement timeout) and actual times and row counts are shown.',
    inputSchema: {
      type: 'object',
      properties: { sql: { type: 'string', minLength: 1, maxLength: 200000 }, analyze: { type: 'boolean', default: false } },
      required: ['sql'],
      additionalProperties: false,
    },
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    handler: async ({ sql, analyze }, extra) => {
      try {
        const text = await explainSql(sql, analyze === true, pg.config.schemas);
        const result = await pg.run(text, [], extra, { maxBytes: 16 * 1024 * 1024 });
        const plan = result.rows[0]?.[0] as [{ Plan: PlanNode; 'Planning Time'?: number; 'Execution Time'?: number }];
        const top = plan[0];
        const lines: string[] = [];
        renderPlan(top.Plan, 0, lines);
        if (top['Planning Time'] !== undefined) lines.push(`planning ${top['Planning Time']} ms`);
        if (top['Execution Time'] !== undefined) lines.push(`execution ${top['Execution Time']} ms`);
        return { content: [{ type: 'text', text: lines.join('\n') }], structuredContent: { plan: top } };
      } catch (error) {
        return pg.failure(error);
      }
    },
  });
}
