// Issue 4: "Build it in layers, each of which holds on its own." These tests run the built query runner
// directly, WITHOUT the parser guard and deny list in front of it, to show that the extended protocol,
// the READ ONLY transaction, the SET LOCAL timeouts and the session reset each stop an attack alone.
// (The full stack, guard included, is exercised through the daemon in read-only-attacks.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LazyPool } from '../../../dist/plugins/postgres/pool.js';
import { runStatement, type RunOptions } from '../../../dist/plugins/postgres/query-runner.js';
import { checkSql } from '../../../dist/plugins/postgres/sql-guard.js';
import { seedDatabase, snapshot, type DbSnapshot } from '../../helpers/postgres-fixture.js';
import { startPostgres, type PostgresServer } from '../../helpers/postgres-server.js';

const server = await startPostgres();
const DB = 'layers';

describe.skipIf(!server)('postgres layers, each on its own', () => {
  const pgServer = server as PostgresServer;
  let pool: LazyPool;
  let before: DbSnapshot;
  const warnings: string[] = [];

  const run = (sql: string, options: Partial<RunOptions> = {}) =>
    runStatement(pool, { sql, mode: 'read', maxRows: 100, maxBytes: 65536, timeoutMs: 5000, signal: new AbortController().signal, ...options });
  const failure = (sql: string, options: Partial<RunOptions> = {}) =>
    run(sql, options).then(
      () => undefined,
      (error: { code?: string; message: string }) => error,
    );

  beforeAll(async () => {
    await seedDatabase(pgServer, DB);
    before = await snapshot(pgServer, DB);
    // A minimal plugin context: the runner needs config, a logger and the instance id, nothing of the host.
    const ctx = {
      instanceId: 'layers',
      config: { connectionString: pgServer.url(DB), pool: { max: 1, idleTimeoutMs: 10000, connectionTimeoutMs: 5000 } },
      logger: { warn: () => undefined, info: () => undefined, debug: () => undefined, error: () => undefined },
      status: { warn: (m: string) => warnings.push(m), clear: () => undefined },
      resolvePath: (p: string) => p,
    };
    pool = new LazyPool(ctx as never, async () => undefined);
  });
  afterAll(async () => {
    await pool?.end();
    pgServer.destroy();
  });

  it('extended protocol alone: a second statement cannot ride along', async () => {
    const error = await failure('SELECT 1; DELETE FROM accounts');
    expect(error?.code).toBe('42601');
    expect(error?.message).toMatch(/multiple commands/);
  });

  it('READ ONLY transaction alone: writes, data-modifying CTEs, SELECT INTO and nextval fail in PostgreSQL', async () => {
    for (const sql of [
      'DELETE FROM accounts',
      'WITH d AS (DELETE FROM accounts RETURNING 1) SELECT * FROM d',
      'SELECT * INTO stolen FROM accounts',
      "SELECT nextval('accounts_id_seq')",
      "SELECT set_config('transaction_read_only', 'off', false)",
    ]) {
      const error = await failure(sql);
      expect(error, sql).toBeDefined();
      expect(error?.code, sql).toMatch(/^(25006|25001)$/);
    }
  });

  it('sets statement, lock and idle timeouts for the transaction only', async () => {
    const result = await run(
      "SELECT current_setting('statement_timeout'), current_setting('lock_timeout'), current_setting('idle_in_transaction_session_timeout'), current_setting('transaction_read_only')",
      { timeoutMs: 1234 },
    );
    expect(result.rows[0]).toEqual(['1234ms', '1234ms', '6234ms', 'on']);
    const error = await failure('SELECT pg_sleep(10)', { timeoutMs: 200 });
    expect(error?.code).toBe('57014');
  });

  it('session reset alone: settings and session advisory locks do not survive into the next checkout', async () => {
    // pool.max is 1: the next call gets the same connection.
    await run("SELECT set_config('work_mem', '64kB', false), pg_advisory_lock(4242)");
    const result = await run("SELECT current_setting('work_mem'), (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory')");
    expect(result.rows[0]).toEqual(['4MB', '0']);
    const [{ n }] = await pgServer.sql<{ n: string }>("SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory'", [], DB);
    expect(n).toBe('0');
  });

  it('the parser guard alone refuses what the transaction would let through', async () => {
    // These succeed in a READ ONLY transaction, which is why the parse-tree deny list exists.
    for (const sql of ["SELECT pg_read_file('/etc/hostname')", 'SELECT pg_advisory_lock(1)', 'SELECT pg_stat_reset()']) {
      await expect(checkSql(sql, { mode: 'read' })).rejects.toThrow();
      await expect(run(sql)).resolves.toBeDefined();
    }
  });

  it('leaves the database as it was', async () => {
    expect(await snapshot(pgServer, DB)).toEqual({ ...before, statsReset: expect.anything() });
  });
});
