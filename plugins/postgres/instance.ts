/**
 * One instance's shared state: its lazy pool, its caps, and the single path every tool takes to the
 * database (guard → READ ONLY transaction → capped result), with errors turned into clear refusals.
 */
import type { CallToolResult, PluginContext, RequestExtra } from '../../core/api/index.js';
import type { PostgresConfig } from './config.js';
import { DatabaseUnavailable, LazyPool } from './pool.js';
import { QueryCancelled, runStatement, type RunOptions, type StatementResult } from './query-runner.js';
import { refusal, renderRows } from './result-format.js';
import { checkRole } from './role-check.js';
import { checkSql, SqlRefused, type GuardMode } from './sql-guard.js';

export class PostgresInstance {
  readonly pool: LazyPool;

  constructor(readonly ctx: PluginContext<PostgresConfig>) {
    this.pool = new LazyPool(ctx, (client) => checkRole(ctx, client));
  }

  get config(): PostgresConfig {
    return this.ctx.config;
  }

  /** Runs SQL the plugin wrote itself (catalog queries) in the same READ ONLY transaction as user SQL. */
  run(sql: string, params: unknown[], extra: Pick<RequestExtra, 'signal'>, overrides: Partial<RunOptions> = {}): Promise<StatementResult> {
    return runStatement(this.pool, {
      sql,
      params,
      mode: 'read',
      maxRows: this.config.maxRows,
      maxBytes: this.config.maxResultBytes,
      timeoutMs: this.config.statementTimeoutMs,
      searchPath: this.config.schemas,
      // Read only if the query is still running after a few milliseconds (see SIGNAL_AFTER_MS).
      signal: () => extra.signal,
      ...overrides,
    });
  }

  /** Checks hostile SQL, runs it capped, and renders the result (or the refusal). */
  async guarded(mode: GuardMode, sql: string, params: unknown[] | undefined, maxRows: number | undefined, extra: RequestExtra): Promise<CallToolResult> {
    try {
      await checkSql(sql, { mode, schemas: this.config.schemas });
      const rows = Math.min(maxRows ?? this.config.maxRows, this.config.maxRows);
      const result = await this.run(sql, params ?? [], extra, { mode, maxRows: rows });
      return renderRows(result, { maxRows: rows, maxBytes: this.config.maxResultBytes });
    } catch (error) {
      return this.failure(error);
    }
  }

  /** An isError result that says why, without the password or connection string. */
  failure(error: unknown): CallToolResult {
    if (error instanceof SqlRefused) return refusal(`refused: ${error.message}`);
    if (error instanceof DatabaseUnavailable || error instanceof QueryCancelled) return refusal(error.message);
    const err = error as { code?: string; message?: string; hint?: string };
    const message = this.pool.scrub(String(err.message ?? error));
    if (err.code === '57014') {
      const why = /statement timeout/.test(message) ? `statement timeout of ${this.config.statementTimeoutMs} ms reached` : message;
      return refusal(`query cancelled on the server: ${why}`);
    }
    if (err.code === '55P03') return refusal(`lock timeout: ${message}`);
    if (err.code === '25006') return refusal(`refused by PostgreSQL (read-only transaction): ${message}`);
    if (typeof err.code === 'string' && /^[0-9A-Z]{5}$/.test(err.code)) {
      return refusal(`PostgreSQL error ${err.code}: ${message}${err.hint ? `\nhint: ${this.pool.scrub(err.hint)}` : ''}`);
    }
    return refusal(`${this.pool.label()}: ${message}`);
  }
}
