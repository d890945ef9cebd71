/**
 * Runs one guarded statement in its own transaction on a pooled connection, in one round trip
 * (see pipelined-statement.ts):
 *   BEGIN READ ONLY + SET LOCAL statement/lock/idle timeouts (+ search_path)
 *   the statement alone in its Parse message, executed with a row limit of maxRows + 1
 *   ROLLBACK (COMMIT for execute) + session reset, then Sync
 * Rows are kept up to the row and byte caps; the rest are dropped as they arrive, and a statement whose
 * remaining rows would be large is cancelled on the server. On any error the transaction is rolled back
 * and the session reset in a second exchange. On timeout or client cancellation the query is cancelled
 * on the server; a connection in doubt is destroyed, never reused.
 */
import type pg from 'pg';
import { cancelOnServer } from './cancel.js';
import { typeName } from './pg-types.js';
import { PipelinedStatement, textValue, type Step } from './pipelined-statement.js';
import type { LazyPool } from './pool.js';

export interface Column {
  name: string;
  type: string;
}

export interface StatementResult {
  columns: Column[];
  rows: unknown[][];
  rowCount: number;
  truncated: boolean;
  truncatedBy?: 'maxRows' | 'maxResultBytes';
  /** Cells cut to fit the byte cap. */
  truncatedCells: number;
  /** The command tag (SELECT, UPDATE, ...) and, for writes, the rows affected. */
  command?: string;
  affectedRows?: number;
}

export interface RunOptions {
  sql: string;
  params?: unknown[];
  mode: 'read' | 'write';
  maxRows: number;
  maxBytes: number;
  timeoutMs: number;
  searchPath?: string[];
  signal: AbortSignal;
}

/** Thrown when the call was cancelled or timed out (the server-side cancel has been sent). */
export class QueryCancelled extends Error {}

/** Past the byte cap, rows still to come are drained unless they would amount to more than this. */
const DRAIN_LIMIT_BYTES = 32 * 1024 * 1024;

// Session reset: settings, session advisory locks, cursors, LISTENs, temp objects. None should exist
// (the guard refuses what creates them); this makes sure the connection goes back to the pool clean.
const RESET_STEPS = ['RESET ALL', 'SELECT pg_advisory_unlock_all()', 'CLOSE ALL', 'UNLISTEN *', 'DISCARD TEMP'];
const ROLLBACK_AND_RESET = ['ROLLBACK', ...RESET_STEPS].join('; ');

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function wrapperSteps(options: RunOptions): { before: Step[]; after: Step[] } {
  const ms = Math.max(1, Math.floor(options.timeoutMs));
  const before = [
    options.mode === 'read' ? 'BEGIN READ ONLY' : 'BEGIN READ WRITE',
    `SET LOCAL statement_timeout = ${ms}`,
    `SET LOCAL lock_timeout = ${ms}`,
    `SET LOCAL idle_in_transaction_session_timeout = ${ms + 5000}`,
    ...(options.searchPath ? [`SET LOCAL search_path = ${options.searchPath.map(quoteIdent).join(', ')}`] : []),
  ].map((text): Step => ({ text }));
  const after = [options.mode === 'read' ? 'ROLLBACK' : 'COMMIT', ...RESET_STEPS];
  return { before, after: after.map((text) => ({ text })) };
}

/** Cuts long values so one huge cell cannot blow the byte cap on its own. */
function capCell(value: unknown, maxCell: number, counter: { cells: number }): unknown {
  if (typeof value === 'string') {
    if (value.length <= maxCell) return value;
    counter.cells++;
    return `${value.slice(0, maxCell)}…[${value.length - maxCell} more characters]`;
  }
  if (value !== null && typeof value === 'object') {
    const json = JSON.stringify(value);
    if (json.length > maxCell) {
      counter.cells++;
      return `${json.slice(0, maxCell)}…[${json.length - maxCell} more characters]`;
    }
  }
  return value;
}

export async function runStatement(pool: LazyPool, options: RunOptions): Promise<StatementResult> {
  if (options.signal.aborted) throw new QueryCancelled('query cancelled by the client');
  const client = await pool.checkout();
  let destroy = false;
  let cancelled: string | undefined;
  let cutShort = false;
  let rolledBack = false;
  const cancel = (why: string) => {
    if (cancelled) return;
    cancelled = why;
    void cancelOnServer(client);
  };
  const onAbort = () => cancel('cancelled by the client');
  options.signal.addEventListener('abort', onAbort, { once: true });
  // statement_timeout stops the query on the server; this backs it up if the server does not answer in time.
  const watchdog = setTimeout(() => cancel(`timed out after ${options.timeoutMs} ms`), options.timeoutMs + 2000);

  const counter = { cells: 0 };
  const maxCell = Math.max(256, Math.floor(options.maxBytes / 4));
  const rowLimit = options.maxRows + 1;
  let bytes = 2;
  let truncatedBy: StatementResult['truncatedBy'];
  let statement: PipelinedStatement | undefined;
  const accept = (raw: unknown[]): unknown[] | undefined => {
    if (statement!.collected.rows.length >= options.maxRows) {
      truncatedBy = 'maxRows';
      return undefined;
    }
    const row = raw.map((v) => capCell(v, maxCell, counter));
    const size = JSON.stringify(row).length + 1;
    if (bytes + size > options.maxBytes) {
      truncatedBy = 'maxResultBytes';
      const { received, receivedBytes } = statement!.collected;
      if ((receivedBytes / Math.max(1, received)) * (rowLimit - received) > DRAIN_LIMIT_BYTES) {
        cutShort = true; // too much still to come: stop it on the server
        void cancelOnServer(client);
      }
      return undefined;
    }
    bytes += size;
    return row;
  };

  try {
    const { before, after } = wrapperSteps(options);
    statement = new PipelinedStatement(before, { text: options.sql, values: (options.params ?? []).map(textValue), rowLimit }, after, accept);
    client.query(statement as unknown as pg.Submittable);
    const collected = await statement.result();
    const error = collected.error;
    const cutShortCancel = cutShort && collected.errorInStatement && error?.code === '57014';
    if (error && !(error as { severity?: string }).severity) {
      destroy = true; // the connection itself failed
      throw error;
    }
    if (error || (client as unknown as { _txStatus?: string })._txStatus === 'T') {
      rolledBack = true;
      await client.query(ROLLBACK_AND_RESET);
    }
    if (cutShort) destroy = true; // a late cancel must not reach the next user of this connection
    if (error && !cutShortCancel) {
      if (cancelled) throw new QueryCancelled(`query ${cancelled}; it was cancelled on the server`);
      throw error;
    }
    const columns = collected.fields.map((f) => ({ name: f.name, type: typeName(f.dataTypeID) ?? `oid:${f.dataTypeID}` }));
    const rows = collected.rows;
    return {
      columns,
      rows,
      rowCount: rows.length,
      truncated: truncatedBy !== undefined,
      ...(truncatedBy ? { truncatedBy } : {}),
      truncatedCells: counter.cells,
      ...(collected.command ? { command: collected.command } : {}),
      ...(options.mode === 'write' && collected.rowCount !== undefined ? { affectedRows: collected.rowCount } : {}),
    };
  } catch (error) {
    if (!destroy && !rolledBack) {
      try {
        await client.query(ROLLBACK_AND_RESET);
      } catch {
        destroy = true;
      }
    }
    if (cancelled && !(error instanceof QueryCancelled)) throw new QueryCancelled(`query ${cancelled}; it was cancelled on the server`);
    throw error;
  } finally {
    clearTimeout(watchdog);
    options.signal.removeEventListener('abort', onAbort);
    client.release(destroy || cancelled !== undefined);
  }
}
