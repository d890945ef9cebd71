/**
 * One guarded statement as a single pipelined exchange on a pg connection (a pg "submittable"):
 *
 *   BEGIN READ ONLY, SET LOCAL timeouts          (extended protocol: Parse/Bind/Execute each)
 *   the statement: Parse, Bind to a portal, Describe, Execute with a row limit of maxRows + 1
 *   ROLLBACK (COMMIT for execute), session reset
 *   Sync
 *
 * All of it is written at once and answered with one ReadyForQuery: one round trip per call. The
 * statement travels alone in its Parse message, so a second statement cannot ride along ("cannot insert
 * multiple commands into a prepared statement"). The row limit makes the server suspend the portal:
 * no more than maxRows + 1 rows are ever sent, and rows past the byte cap are dropped as they arrive
 * (the runner cancels the statement on the server when the rest would be large). If anything fails, the
 * server skips to Sync and the runner rolls back in a second exchange.
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
  sync(): void;
  /** pg's Connection writes every message through this; borrowed to batch them. */
  _send?: (buffer: Buffer) => boolean;
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
}

export class PipelinedStatement {
  readonly collected: Collected = { fields: [], rows: [], received: 0, receivedBytes: 0, suspended: false, errorInStatement: false };
  private step = 0;
  private full = false;
  private parsers: ((value: string) => unknown)[] = [];
  private readonly done: Promise<Collected>;
  private resolve!: (value: Collected) => void;

  /**
   * `before` and `after` are the wrapper steps; `statement` the guarded one. `accept(row)` returns the
   * row to keep, or undefined once the caps are reached: that row and every later one are dropped.
   */
  constructor(
    private readonly before: Step[],
    private readonly statement: Step & { rowLimit: number },
    private readonly after: Step[],
    private readonly accept: (row: unknown[]) => unknown[] | undefined,
  ) {
    this.done = new Promise((resolve) => (this.resolve = resolve));
  }

  result(): Promise<Collected> {
    return this.done;
  }

  private get statementIndex(): number {
    return this.before.length;
  }

  submit(connection: ConnectionLike): void {
    // Collect every message and write them as one buffer: one syscall, one packet on the wire.
    const own = Object.prototype.hasOwnProperty.call(connection, '_send');
    const send = connection._send;
    const chunks: Buffer[] = [];
    if (typeof send === 'function') connection._send = (buffer: Buffer) => (chunks.push(buffer), true);
    try {
      for (const step of this.before) this.simple(connection, step);
      connection.parse({ text: this.statement.text, name: '' });
      connection.bind({ portal: '', statement: '', values: this.statement.values ?? [] });
      connection.describe({ type: 'P', name: '' });
      connection.execute({ portal: '', rows: this.statement.rowLimit });
      for (const step of this.after) this.simple(connection, step);
      connection.sync();
    } finally {
      if (typeof send === 'function') {
        if (own) connection._send = send;
        else delete connection._send;
      }
    }
    if (chunks.length > 0) send!.call(connection, Buffer.concat(chunks));
  }

  private simple(connection: ConnectionLike, step: Step): void {
    connection.parse({ text: step.text, name: '' });
    connection.bind({ portal: '', statement: '', values: step.values ?? [] });
    connection.execute({ portal: '', rows: 0 });
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
    const row = message.fields.map((value, i) => (value === null ? null : this.parsers[i] ? this.parsers[i](value) : value));
    const kept = this.accept(row);
    if (kept) this.collected.rows.push(kept);
    else this.full = true;
  }

  handlePortalSuspended(): void {
    if (this.step === this.statementIndex) this.collected.suspended = true;
    this.step++;
  }

  handleCommandComplete(message: { text?: string }): void {
    if (this.step === this.statementIndex) {
      // "SELECT 5", "INSERT 0 1", "UPDATE 3", "CREATE TABLE"
      const tag = /^([A-Za-z ]*?[A-Za-z])(?: (\d+))?(?: (\d+))?$/.exec(message.text ?? '');
      this.collected.command = tag?.[1] ?? message.text;
      const count = tag?.[3] ?? tag?.[2];
      if (count !== undefined) this.collected.rowCount = Number(count);
    }
    this.step++;
  }

  handleEmptyQuery(): void {
    this.step++;
  }

  handleError(error: Error): void {
    if (!this.collected.error) {
      this.collected.error = error;
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

/** Parameters as the text the server parses: numbers, booleans, strings, null, and text arrays (catalog queries). */
export function textValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return `{${value.map((v) => (v === null ? 'NULL' : `"${String(v).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)).join(',')}}`;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
