/**
 * Tool results: structuredContent for programs (columns with types, rows as arrays) and a compact
 * text table for the model, with a clear note when the caps cut the result and how to get the rest.
 */
import type { CallToolResult } from '../../core/api/index.js';
import type { StatementResult } from './query-runner.js';

const NEEDS_ESCAPE = /[\\\t\n\r]/;

function cell(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  // Most cells have nothing to escape: one test instead of four replacements (and their copies).
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

export function truncationHint(result: StatementResult, caps: { maxRows: number; maxBytes: number }): string | undefined {
  if (!result.truncated) return undefined;
  const cap = result.truncatedBy === 'maxRows' ? `maxRows=${caps.maxRows}` : `maxResultBytes=${caps.maxBytes}`;
  return (
    `truncated: more rows exist beyond the first ${result.rowCount} (cap ${cap}). ` +
    'To get the rest, narrow the query (WHERE, fewer columns, aggregates) or page it: ' +
    `ORDER BY a unique key with LIMIT ${result.rowCount || 100} and either OFFSET ${result.rowCount} or WHERE key > <last key seen>.`
  );
}

export function renderRows(result: StatementResult, caps: { maxRows: number; maxBytes: number }): CallToolResult {
  const lines: string[] = [];
  if (result.columns.length > 0) {
    lines.push(result.columns.map((c) => `${c.name}:${c.type}`).join('\t'));
    for (const row of result.rows) lines.push(row.map(cell).join('\t'));
  }
  const summary = result.command && result.command !== 'SELECT' && result.affectedRows !== undefined
    ? `${result.command} ${result.affectedRows}`
    : `(${result.rowCount} row${result.rowCount === 1 ? '' : 's'})`;
  lines.push(summary);
  if (result.truncatedCells > 0) lines.push(`${result.truncatedCells} long value(s) were cut to fit the byte cap.`);
  const hint = truncationHint(result, caps);
  if (hint) lines.push(hint);
  return {
    content: [{ type: 'text', text: lines.join('\n') }],
    structuredContent: {
      columns: result.columns,
      rows: result.rows,
      rowCount: result.rowCount,
      truncated: result.truncated,
      ...(result.truncatedBy ? { truncatedBy: result.truncatedBy, hint } : {}),
      ...(result.truncatedCells ? { truncatedCells: result.truncatedCells } : {}),
      ...(result.command ? { command: result.command } : {}),
      ...(result.affectedRows !== undefined ? { affectedRows: result.affectedRows } : {}),
    },
  };
}

export function refusal(message: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: message }] };
}
