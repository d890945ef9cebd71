/**
 * One guarded statement as a single pipelined exchange on a pg connection (a pg "submittable"):
 *
 *   BEGIN READ ONLY (READ WRITE for execute)      ┐ the wrapper's prefix: fixed text, serialized once
 *   SET LOCAL statement_timeout, lock_timeout,     │ per (mode, timeout, search_path) and reused
 *     idle_in_transaction_session_timeout (, search_path)  ┘ (extended protocol: Parse/Bind/Execute each)
 *   the statement: Parse, Bind to a portal, Describe, Execute with a row limit of maxRows + 1
 *   ROLLBACK (COMMIT for execute)                  ┐ the wrapper's suffix, serialized once:
 *   DISCARD ALL                                    │ the session reset
 *   Sync                                           ┘
 *
 * All of it is written at once and answered with one ReadyForQuery: one round trip per call. The
 * statement travels alone in its Parse message, so a second statement cannot ride along ("cannot insert
 * multiple commands into a prepared statement"). The row limit makes the server suspend the portal:
 * no more than maxRows + 1 rows are ever sent, and rows past the byte cap are dropped as they arrive
 * (the runner cancels the statement on the server when the rest would be large). If anything fails, the
 * server skips to Sync (the suffix does not run) and the runner recovers in a second exchange.
 *
 * Why this shape (measured with SELECT 1 on PostgreSQL 15, server CPU per call): the wrapper used to be
 * BEGIN, 3 SET LOCAL, ROLLBACK and a five-statement reset, each serialized per call (~125 µs; the bare
 * statement alone costs ~50 µs); with DISCARD ALL as the reset ~105 µs, and the host serializes only the
 * statement and handles 6 fewer replies. Tried and dropped: one `SELECT set_config(...)` for the three
 * timeouts (the server spends more on it than on three SET LOCALs: it is planned and executed as a query);
 * a Flush after the statement so that a read could be answered before its ROLLBACK and reset (a second
 * packet and wake-up per call cost more than the overlap saved, sequential and 8 in flight).
 *
 * DISCARD ALL is the whole reset in one statement (CLOSE ALL, SET SESSION AUTHORIZATION DEFAULT, RESET ALL,
 * DEALLOCATE ALL, UNLISTEN *, pg_advisory_unlock_all(), DISCARD PLANS, DISCARD TEMP, DISCARD SEQUENCES).
 * It cannot run inside a transaction block or after another statement of the same pipeline transaction
 * ("cannot be executed within a pipeline"): right after the ROLLBACK/COMMIT it is the first statement of
 * a fresh implicit transaction, which is allowed.
 */
import { typeParsers } from './pg-types.js';

export interface Step {
  text: string;
  values?: (string | null)[];
}

interface FieldLike {
  name: string;
  dataTypeID: number;
}

interface ConnectionLike {
  parse(opts: { text: string; name?: string }): void;
  bind(opts: { portal?: string; statement?: string; values?: (string | null)[] }): void;
  describe(opts: { type: 'P' | 'S'; name?: string }): void;
  execute(opts: { portal?: string; rows?: number }): void;
  /** pg's Connection writes every message through this; borrowed to batch them. */
  _send?: (buffer: Buffer) => boolean;
}

/** The fixed statements around the guarded one, as protocol bytes ready to write. */
export interface Wrapper {
  prefix: Buffer;
  /** Statements in the prefix (each answers with one CommandComplete). */
  before: number;
  suffix: Buffer;
  /** Statements in the suffix: the ROLLBACK/COMMIT and the reset. */
  after: number;
}

export interface Collected {
  fields: FieldLike[];
  rows: unknown[][];
  /** Rows the server sent for the statement (kept or not), and their size on the wire. */
  received: number;
  receivedBytes: number;
  command?: string;
  rowCount?: number;
  suspended: boolean;
  /** The first error, and whether it came from the statement itself (not the wrapper). */
  error?: Error & { code?: string };
  errorInStatement: boolean;
  /** Statements of the exchange completed before the error, if any: the prefix's, then the statement, then the suffix's. */
  errorStep?: number;
  /** Every statement of the suffix (ROLLBACK/COMMIT, then the reset) completed. */
  suffixDone: boolean;
}

// Frontend messages (protocol v3): a type byte, an Int32 length that counts itself, the body.
const SYNC = Buffer.from([0x53, 0, 0, 0, 4]);

function frame(type: string, body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(5 + body.length);
  out.write(type, 0, 'latin1');
  out.writeInt32BE(4 + body.length, 1);
  body.copy(out, 5);
  return out;
}

/**
 * Parse, Bind and Execute of our own fixed text: unnamed statement and portal, no parameters, all rows.
 * Only the wrapper's constant statements go through here; the guarded statement is serialized by pg.
 */
export function fixedStatement(text: string): Buffer {
  const sql = Buffer.from(`${text}\0`, 'utf8');
  const parse = Buffer.concat([Buffer.from([0]), sql, Buffer.from([0, 0])]); // name "", text, 0 parameter types
  const bind = Buffer.from([0, 0, 0, 0, 0, 0, 0, 0]); // portal "", statement "", 0 format codes, 0 parameters, 0 result formats
  const execute = Buffer.from([0, 0, 0, 0, 0]); // portal "", no row limit
  return Buffer.concat([frame('P', parse), frame('B', bind), frame('E', execute)]);
}

/** `statements` one after another, then Sync: a whole exchange of our own fixed text. */
export function fixedExchange(statements: string[]): Buffer {
  return Buffer.concat([...statements.map(fixedStatement), SYNC]);
}

export class PipelinedStatement {
  readonly collected: Collected = { fields: [], rows: [], received: 0, receivedBytes: 0, suspended: false, errorInStatement: false, suffixDone: false };
  private step = 0;
  private full = false;
  private parsers: ((value: string) => unknown)[] = [];
  private readonly done: Promise<Collected>;
  private resolve!: (value: Collected) => void;

  /**
   * `wrapper` holds the fixed statements around `statement`, the guarded one. `accept(row)` returns the
   * row to keep, or undefined once the caps are reached: that row and every later one are dropped.
   */
  constructor(
    private readonly wrapper: Wrapper,
    private readonly statement: Step & { rowLimit: number },
    private readonly accept: (row: unknown[]) => unknown[] | undefined,
  ) {
    this.done = new Promise((resolve) => (this.resolve = resolve));
  }

  /** Settles when the whole exchange is over: ReadyForQuery, an error, or the connection lost. */
  result(): Promise<Collected> {
    return this.done;
  }

  /** Where the guarded statement comes in the exchange: after the prefix's statements. */
  get statementIndex(): number {
    return this.wrapper.before;
  }

  submit(connection: ConnectionLike): Error | void {
    // Collect the statement's messages and write everything as one buffer: one syscall, one packet on the wire.
    if (typeof connection._send !== 'function') return new Error('this version of pg cannot batch messages');
    const own = Object.prototype.hasOwnProperty.call(connection, '_send');
    const send = connection._send;
    const chunks: Buffer[] = [this.wrapper.prefix];
    connection._send = (buffer: Buffer) => (chunks.push(buffer), true);
    try {
      connection.parse({ text: this.statement.text, name: '' });
      connection.bind({ portal: '', statement: '', values: this.statement.values ?? [] });
      connection.describe({ type: 'P', name: '' });
      connection.execute({ portal: '', rows: this.statement.rowLimit });
    } finally {
      if (own) connection._send = send;
      else delete connection._send;
    }
    chunks.push(this.wrapper.suffix);
    send!.call(connection, Buffer.concat(chunks));
  }

  handleRowDescription(message: { fields: FieldLike[] }): void {
    if (this.step !== this.statementIndex) return;
    this.collected.fields = message.fields;
    this.parsers = message.fields.map((f) => typeParsers.getTypeParser(f.dataTypeID, 'text') as (value: string) => unknown);
  }

  handleDataRow(message: { fields: (string | null)[]; length?: number }): void {
    if (this.step !== this.statementIndex) return;
    this.collected.received++;
    this.collected.receivedBytes += message.length ?? 0;
    if (this.full) return; // past the caps: dropped unparsed
    const fields = message.fields;
    const row = new Array<unknown>(fields.length);
    for (let i = 0; i < fields.length; i++) {
      const value = fields[i];
      row[i] = value === null ? null : this.parsers[i] ? this.parsers[i](value) : value;
    }
    const kept = this.accept(row);
    if (kept) this.collected.rows.push(kept);
    else this.full = true;
  }

  handlePortalSuspended(): void {
    if (this.step === this.statementIndex) this.collected.suspended = true;
    this.completed();
  }

  handleCommandComplete(message: { text?: string }): void {
    if (this.step === this.statementIndex) {
      // "SELECT 5", "INSERT 0 1", "UPDATE 3", "CREATE TABLE"
      const tag = /^([A-Za-z ]*?[A-Za-z])(?: (\d+))?(?: (\d+))?$/.exec(message.text ?? '');
      this.collected.command = tag?.[1] ?? message.text;
      const count = tag?.[3] ?? tag?.[2];
      if (count !== undefined) this.collected.rowCount = Number(count);
    }
    this.completed();
  }

  handleEmptyQuery(): void {
    this.completed();
  }

  /** One statement of the exchange is over (CommandComplete, PortalSuspended or EmptyQueryResponse). */
  private completed(): void {
    this.step++;
    if (this.step === this.statementIndex + 1 + this.wrapper.after) this.collected.suffixDone = true;
  }

  handleError(error: Error): void {
    if (!this.collected.error) {
      this.collected.error = error;
      this.collected.errorStep = this.step;
      this.collected.errorInStatement = this.step === this.statementIndex;
    }
    // pg detaches the query at an ErrorResponse (the ReadyForQuery after it goes to the client, which then
    // runs the next queued query): the exchange ends here, as it does when the connection dies.
    this.resolve(this.collected);
  }

  handleReadyForQuery(): void {
    this.resolve(this.collected);
  }

  handleCopyInResponse(): void {
    // COPY FROM STDIN cannot pass the guard; if it ever arrived, fail it rather than hang.
    this.handleError(new Error('COPY is not supported'));
  }

  handleCopyData(): void {}
}

/**
 * A fixed exchange of our own statements (e.g. ROLLBACK + DISCARD ALL + Sync), as a pg submittable:
 * settles with whether every statement completed and no error came back.
 */
export class FixedExchange {
  private completedSteps = 0;
  private error: Error | undefined;
  private readonly done: Promise<{ ok: boolean; error?: Error }>;
  private resolve!: (value: { ok: boolean; error?: Error }) => void;

  constructor(
    private readonly bytes: Buffer,
    private readonly steps: number,
  ) {
    this.done = new Promise((resolve) => (this.resolve = resolve));
  }

  result(): Promise<{ ok: boolean; error?: Error }> {
    return this.done;
  }

  submit(connection: ConnectionLike): Error | void {
    if (typeof connection._send !== 'function') return new Error('this version of pg cannot batch messages');
    connection._send(this.bytes);
  }

  handleCommandComplete(): void {
    this.completedSteps++;
  }

  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleCopyData(): void {}

  handleCopyInResponse(): void {
    this.handleError(new Error('unexpected COPY'));
  }

  handleError(error: Error): void {
    this.error ??= error;
    this.resolve({ ok: false, error: this.error });
  }

  handleReadyForQuery(): void {
    this.resolve({ ok: !this.error && this.completedSteps === this.steps, ...(this.error ? { error: this.error } : {}) });
  }
}

/** Parameters as the text the server parses: numbers, booleans, strings, null, and text arrays (catalog queries). */
export function textValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return `{${value.map((v) => (v === null ? 'NULL' : `"${String(v).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)).join(',')}}`;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
