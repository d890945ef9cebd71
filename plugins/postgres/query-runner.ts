/**
 * Runs one guarded statement in its own transaction on a pooled connection, in one round trip
 * (see pipelined-statement.ts):
 *   BEGIN READ ONLY + SET LOCAL statement/lock/idle timeouts (+ search_path)
 *   the statement alone in its Parse message, executed with a row limit of maxRows + 1
 *   ROLLBACK (COMMIT for execute), DISCARD ALL (the session reset), then Sync
 * Rows are kept up to the row and byte caps; the rest are dropped as they arrive, and a statement whose
 * remaining rows would be large is cancelled on the server. The connection goes back to the pool only
 * once the session is checked clean: the ROLLBACK/COMMIT and DISCARD ALL completed and the server reports
 * no open transaction (ReadyForQuery status 'I'). Anything else (an error, a step skipped) is repaired in a
 * second exchange (ROLLBACK, DISCARD ALL) and checked the same way, or the connection is destroyed.
 * On timeout or client cancellation the query is cancelled on the server; a connection in doubt is
 * destroyed, never reused.
 */
import type pg from 'pg';
import { cancelOnServer } from './cancel.js';
import { typeName } from './pg-types.js';
import { FixedExchange, fixedExchange, fixedStatement, PipelinedStatement, textValue, type Collected, type Wrapper } from './pipelined-statement.js';
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
  /**
   * The call's cancellation, or a function that returns it: then it is read only if the query is still
   * running after SIGNAL_AFTER_MS (the host makes a call's signal when it is first read, which costs).
   */
  signal: AbortSignal | (() => AbortSignal);
}

/** Thrown when the call was cancelled or timed out (the server-side cancel has been sent). */
export class QueryCancelled extends Error {}

/** Past the byte cap, rows still to come are drained unless they would amount to more than this. */
const DRAIN_LIMIT_BYTES = 32 * 1024 * 1024;

// Reading a host call's signal makes an AbortController and two listeners (about a tenth of the CPU of a
// quick call, measured with SELECT 1): a query that is over within SIGNAL_AFTER_MS never reads it. One
// still running then starts listening, or is cancelled on the server at once if the client already
// cancelled: a client's cancellation still reaches the server, at most SIGNAL_AFTER_MS late. Timeouts do
// not depend on it (statement_timeout on the server, the watchdog here).
const SIGNAL_AFTER_MS = 10;

// The session reset, one statement: everything a session can keep between transactions (settings,
// role, session advisory locks, cursors, prepared statements, LISTENs, temp objects, sequence state).
// After a ROLLBACK most of it is already gone (SET/set_config revert, temp tables created in the
// transaction are dropped, LISTEN never took effect, cursors close), but not session advisory locks,
// prepared statements or anything an undetected function did, and it must hold on its own should an
// earlier layer fail (a COMMIT, an escaped transaction). DISCARD ALL covers all of it and is cheaper
// than the five statements it replaces (RESET ALL, pg_advisory_unlock_all(), CLOSE ALL, UNLISTEN *,
// DISCARD TEMP), so the reset stays unconditional.
const RESET = 'DISCARD ALL';
const RECOVERY_STEPS = ['ROLLBACK', RESET];
/** The second exchange after anything went wrong: end whatever transaction is open, then reset. */
const RECOVERY = fixedExchange(RECOVERY_STEPS);

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

// The wrapper's text depends only on the mode, the timeout and the search_path: serialized once, reused.
const wrappers = new Map<string, Wrapper>();
const WRAPPER_CACHE_SIZE = 64;

function wrapperFor(options: RunOptions): Wrapper {
  const ms = Math.max(1, Math.floor(options.timeoutMs));
  const searchPath = options.searchPath ? options.searchPath.map(quoteIdent).join(', ') : undefined;
  const key = `${options.mode} ${ms} ${searchPath ?? ''}`;
  let wrapper = wrappers.get(key);
  if (!wrapper) {
    const before = [
      options.mode === 'read' ? 'BEGIN READ ONLY' : 'BEGIN READ WRITE',
      `SET LOCAL statement_timeout = ${ms}`,
      `SET LOCAL lock_timeout = ${ms}`,
      `SET LOCAL idle_in_transaction_session_timeout = ${ms + 5000}`,
      ...(searchPath !== undefined ? [`SET LOCAL search_path = ${searchPath}`] : []),
    ];
    const after = [options.mode === 'read' ? 'ROLLBACK' : 'COMMIT', RESET];
    wrapper = { prefix: Buffer.concat(before.map(fixedStatement)), before: before.length, suffix: fixedExchange(after), after: after.length };
    if (wrappers.size >= WRAPPER_CACHE_SIZE) wrappers.clear();
    wrappers.set(key, wrapper);
  }
  return wrapper;
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

function transactionStatus(client: pg.PoolClient): string | null | undefined {
  const c = client as unknown as { getTransactionStatus?: () => string | null; _txStatus?: string | null };
  return typeof c.getTransactionStatus === 'function' ? c.getTransactionStatus() : c._txStatus;
}

/** What a call's cancel paths share with the code that ends it. */
interface CallState {
  cancelled?: string;
  /** The statement was cancelled on the server to stop a large remainder: a late cancel may still arrive. */
  cutShort: boolean;
}

/**
 * After the exchange: gives the connection back only if the session is known clean (the ROLLBACK/COMMIT
 * and DISCARD ALL completed, no transaction open), else repairs it in a second exchange and checks the
 * same way, else destroys it. Never rejects.
 */
async function release(client: pg.PoolClient, collected: Collected, state: CallState): Promise<void> {
  let destroy = false;
  try {
    if (collected.error && !(collected.error as { severity?: string }).severity) {
      destroy = true; // the connection itself failed
    } else if (state.cutShort || state.cancelled !== undefined) {
      destroy = true; // a cancel request is in flight: this connection is not reused, so no repair either
    } else if (collected.error || !collected.suffixDone || transactionStatus(client) !== 'I') {
      const recovery = new FixedExchange(RECOVERY, RECOVERY_STEPS.length);
      client.query(recovery as unknown as pg.Submittable);
      const { ok } = await recovery.result();
      destroy = !ok || transactionStatus(client) !== 'I';
    }
  } catch {
    destroy = true;
  } finally {
    // Checked again here: the watchdog may have sent a cancel while the repair ran, and a late cancel
    // must not reach the next user of this connection.
    client.release(destroy || state.cutShort || state.cancelled !== undefined);
  }
}

export async function runStatement(pool: LazyPool, options: RunOptions): Promise<StatementResult> {
  const eager = typeof options.signal === 'function' ? undefined : options.signal;
  if (eager?.aborted) throw new QueryCancelled('query cancelled by the client');
  const client = await pool.checkout();
  const state: CallState = { cutShort: false };
  const cancel = (why: string) => {
    if (state.cancelled) return;
    state.cancelled = why;
    void cancelOnServer(client);
  };
  const onAbort = () => cancel('cancelled by the client');
  let listening: AbortSignal | undefined;
  const listen = (signal: AbortSignal) => {
    if (signal.aborted) return onAbort();
    listening = signal;
    signal.addEventListener('abort', onAbort, { once: true });
  };
  // statement_timeout stops the query on the server; the watchdog backs it up if the server does not
  // answer in time. A lazy signal is first read by the same timer, SIGNAL_AFTER_MS in.
  const timeout = () => cancel(`timed out after ${options.timeoutMs} ms`);
  let watchdog: NodeJS.Timeout;
  if (eager) {
    listen(eager);
    watchdog = setTimeout(timeout, options.timeoutMs + 2000);
  } else {
    watchdog = setTimeout(() => {
      listen((options.signal as () => AbortSignal)());
      watchdog = setTimeout(timeout, Math.max(0, options.timeoutMs + 2000 - SIGNAL_AFTER_MS));
    }, SIGNAL_AFTER_MS);
  }
  const stopWatching = () => {
    clearTimeout(watchdog);
    listening?.removeEventListener('abort', onAbort);
  };

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
    // Most rows have no cell to cut: keep the parsed array rather than copying it.
    let row = raw;
    for (let i = 0; i < raw.length; i++) {
      const value = raw[i];
      if ((value !== null && typeof value === 'object') || (typeof value === 'string' && value.length > maxCell)) {
        row = raw.map((v) => capCell(v, maxCell, counter));
        break;
      }
    }
    const size = JSON.stringify(row).length + 1;
    if (bytes + size > options.maxBytes) {
      truncatedBy = 'maxResultBytes';
      const { received, receivedBytes } = statement!.collected;
      if ((receivedBytes / Math.max(1, received)) * (rowLimit - received) > DRAIN_LIMIT_BYTES) {
        state.cutShort = true; // too much still to come: stop it on the server
        void cancelOnServer(client);
      }
      return undefined;
    }
    bytes += size;
    return row;
  };

  let collected: Collected;
  try {
    statement = new PipelinedStatement(wrapperFor(options), { text: options.sql, values: (options.params ?? []).map(textValue), rowLimit }, accept);
    client.query(statement as unknown as pg.Submittable);
    collected = await statement.result();
  } catch (error) {
    // Nothing here should throw; if it did, the connection's state is unknown.
    stopWatching();
    client.release(true);
    throw error;
  }
  try {
    await release(client, collected, state);
  } finally {
    stopWatching();
  }
  const error = collected.error;
  // A read stands once its statement completed, a write once its COMMIT did: an error after that is the
  // reset's, and the connection has been repaired or destroyed above.
  const settledStep = statement.statementIndex + (options.mode === 'read' ? 1 : 2);
  const fatal = error !== undefined && (collected.errorStep ?? 0) < settledStep;
  const cutShortCancel = state.cutShort && collected.errorInStatement && error?.code === '57014';
  if (fatal && !cutShortCancel) {
    if (state.cancelled) throw new QueryCancelled(`query ${state.cancelled}; it was cancelled on the server`);
    throw error;
  }
  const rows = collected.rows;
  return {
    columns: collected.fields.map((f) => ({ name: f.name, type: typeName(f.dataTypeID) ?? `oid:${f.dataTypeID}` })),
    rows,
    rowCount: rows.length,
    truncated: truncatedBy !== undefined,
    ...(truncatedBy ? { truncatedBy } : {}),
    truncatedCells: counter.cells,
    ...(collected.command ? { command: collected.command } : {}),
    ...(options.mode === 'write' && collected.rowCount !== undefined ? { affectedRows: collected.rowCount } : {}),
  };
}
