// Issue 4: "Build it in layers, each of which holds on its own." These tests run the built query runner
// directly, WITHOUT the parser guard and deny list in front of it, to show that the extended protocol,
// the READ ONLY transaction, the SET LOCAL timeouts, the session reset and the server-side cancel each hold alone.
// (The full stack, guard included, is exercised through the daemon in read-only-attacks.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LazyPool } from '../../../dist/plugins/postgres/pool.js';
import { QueryCancelled, runStatement, type RunOptions } from '../../../dist/plugins/postgres/query-runner.js';
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

  it('server-side cancel alone: a client cancellation that comes before the runner first reads its (lazy) signal still stops the query on the server', async () => {
    const controller = new AbortController();
    // pg_sleep(25) stays within the test's time limit: were the cancellation lost, the call would succeed
    // after 25 s instead of failing as cancelled.
    const pending = failure('SELECT pg_sleep(25)', { signal: () => controller.signal, timeoutMs: 60000 });
    controller.abort(); // the runner reads a lazy signal only once the query has run for a few milliseconds
    const error = await pending;
    expect(error).toBeInstanceOf(QueryCancelled);
    expect(error?.message).toMatch(/cancelled by the client; it was cancelled on the server/);
    const sleeping = await pgServer.sql<{ n: string }>("SELECT count(*) AS n FROM pg_stat_activity WHERE state = 'active' AND query LIKE 'SELECT pg_sleep(25)%'", [], DB);
    expect(sleeping[0].n).toBe('0');
  });

  // The backend pid proves the next call ran on the very same connection (pool.max is 1), not a fresh one.
  const backendPid = async () => (await run('SELECT pg_backend_pid()')).rows[0][0];

  it('session reset alone, with the transaction layer gone: what a committed call leaves in its session is gone at the next checkout', async () => {
    // mode 'write' ends in COMMIT, not ROLLBACK: only the reset stands between these and the next user of the connection.
    const pid = await backendPid();
    for (const sql of [
      "SELECT set_config('work_mem', '64kB', false)",
      "SELECT set_config('application_name', 'leaked', false)",
      'SELECT pg_advisory_lock(4243)',
      'CREATE TEMP TABLE leaked_temp (x int)',
      'DECLARE leaked_cursor CURSOR WITH HOLD FOR SELECT 1',
      'LISTEN leaked_channel',
      'PREPARE leaked_statement AS SELECT 1',
    ]) {
      await run(sql, { mode: 'write' });
    }
    const result = await run(`SELECT pg_backend_pid(), current_setting('work_mem'), current_setting('application_name'),
      (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()), to_regclass('pg_temp.leaked_temp') IS NULL,
      (SELECT count(*) FROM pg_cursors WHERE name = 'leaked_cursor'), (SELECT count(*) FROM pg_listening_channels()),
      (SELECT count(*) FROM pg_prepared_statements WHERE name = 'leaked_statement')`);
    expect(result.rows[0]).toEqual([pid, '4MB', 'mcp-host/layers', '0', true, '0', '0', '0']);
  });

  it('session reset after a ROLLBACK: what a rollback does not undo (session advisory locks, prepared statements) is gone too', async () => {
    const pid = await backendPid();
    await run('SELECT pg_advisory_lock(4244)');
    await run('PREPARE leaked_in_read AS SELECT 1');
    const result = await run(`SELECT pg_backend_pid(), (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'),
      (SELECT count(*) FROM pg_prepared_statements WHERE name = 'leaked_in_read')`);
    expect(result.rows[0]).toEqual([pid, '0', '0']);
  });

  it('a call that fails is rolled back and reset on its connection before the next checkout', async () => {
    const pid = await backendPid();
    // The lock is taken, then the statement fails at run time (random() keeps the division from being folded at plan time).
    const error = await failure('SELECT pg_advisory_lock(4245), 1 / (random() * 0)::int');
    expect(error?.code).toBe('22012');
    const result = await run(
      "SELECT pg_backend_pid(), (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'), current_setting('transaction_read_only'), current_setting('statement_timeout')",
      { timeoutMs: 4321 },
    );
    expect(result.rows[0]).toEqual([pid, '0', 'on', '4321ms']);
  });

  it('the parser guard alone refuses what the transaction would let through', async () => {
    // These succeed in a READ ONLY transaction, which is why the parse-tree deny list exists.
    for (const sql of ["SELECT pg_read_file('/etc/hostname')", 'SELECT pg_advisory_lock(1)', 'SELECT pg_stat_reset()']) {
      await expect(checkSql(sql, { mode: 'read' })).rejects.toThrow();
      await expect(run(sql)).resolves.toBeDefined();
    }
  });

  it('the parser guard remembers verdicts per text, mode and allowlist: a repeat is refused again, an allowed text is not allowed elsewhere', async () => {
    const sql = 'SELECT * FROM hidden.secrets';
    await expect(checkSql(sql, { mode: 'read' })).resolves.toBe('SelectStmt');
    for (const schemas of [['public'], ['public'], []]) {
      await expect(checkSql(sql, { mode: 'read', schemas }), JSON.stringify(schemas)).rejects.toThrow(/outside this instance's schemas allowlist/);
    }
    await expect(checkSql(sql, { mode: 'read' })).resolves.toBe('SelectStmt');
    for (let i = 0; i < 2; i++) await expect(checkSql('SELECT pg_advisory_lock(1)', { mode: 'read' })).rejects.toThrow(/advisory locks/);
    await expect(checkSql('DELETE FROM accounts', { mode: 'write' })).resolves.toBe('DeleteStmt');
    await expect(checkSql('DELETE FROM accounts', { mode: 'read' })).rejects.toThrow(/only read statements/);
  });

  it('leaves the database as it was', async () => {
    expect(await snapshot(pgServer, DB)).toEqual({ ...before, statsReset: expect.anything() });
  });
});
