// Issue 4, "Read-only must hold against a hostile model": every attack goes through the query (or
// explain) tool of an instance connected as a SUPERUSER — the worst case, where only the plugin's own
// layers stand in the way — and the database is checked afterwards: rows intact, no new objects, no
// files written, no locks, slots or prepared transactions left, statistics not reset, other sessions alive.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostStatus } from '../../helpers/host-status.js';
import { nodeBinaries } from '../../helpers/node-binaries.js';
import { until } from '../../helpers/proto-fixture.js';
import { call, postgresConfig, seedDatabase, snapshot, type DbSnapshot } from '../../helpers/postgres-fixture.js';
import { startPostgres, SUPERUSER_PASSWORD, type PostgresServer } from '../../helpers/postgres-server.js';
import { spawnHost, type HostUnderTest } from '../../helpers/spawn-host.js';

const server = await startPostgres();
afterAll(() => server?.destroy());
const nodes = nodeBinaries().map((node, index) => ({ ...node, db: `attack${index}` }));

describe.skipIf(!server).each(nodes)('postgres read-only against hostile SQL ($label)', ({ path: node, db: DB }) => {
  const pgServer = server as PostgresServer;
  let host: HostUnderTest;
  let before: DbSnapshot;
  let victim: pg.Client;
  let victimPid: number;
  const pwned = (name: string) => join(pgServer.dir, `pwned-${DB}-${name}`);

  beforeAll(async () => {
    await seedDatabase(pgServer, DB);
    victim = new pg.Client({ host: pgServer.socketDir, port: pgServer.port, user: 'postgres', database: DB });
    await victim.connect();
    victimPid = (await victim.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    before = await snapshot(pgServer, DB);
    host = await spawnHost({
      configPath: postgresConfig({ db: { connectionString: pgServer.url(DB), pool: { max: 2 } } }),
      node,
    });
  });
  afterAll(async () => {
    await host?.close();
    await victim?.end().catch(() => undefined);
  });

  it('warns at start, before any tool call, that it is connected as a superuser', async () => {
    const status = await until(() => hostStatus(host.client), (s) => s.byId('db').warnings.length > 0, 250);
    expect(status.byId('db').warnings).toEqual([expect.stringMatching(/^connected as role "postgres", which is a superuser/)]);
  });

  const attacks: [string, string][] = [
    ['multi-statement commit escape', 'SELECT 1; COMMIT; DROP TABLE accounts'],
    ['leading commit', 'COMMIT; DROP TABLE accounts'],
    ['plain drop', 'DROP TABLE accounts'],
    ['dollar-quote hiding a second statement', 'SELECT $$;$$; DELETE FROM accounts'],
    ['comment before delete', '/* harmless */ DELETE FROM accounts'],
    ['data-modifying CTE', 'WITH gone AS (DELETE FROM accounts RETURNING *) SELECT * FROM gone'],
    ['nested data-modifying CTE', 'SELECT * FROM (WITH u AS (UPDATE accounts SET balance = 0 RETURNING 1) SELECT * FROM u) s'],
    ['SELECT INTO', 'SELECT * INTO stolen FROM accounts'],
    ['CREATE TABLE AS', 'CREATE TABLE stolen AS SELECT * FROM accounts'],
    ['SET TRANSACTION READ WRITE', 'SET TRANSACTION READ WRITE'],
    ['set_config read-write', "SELECT set_config('transaction_read_only', 'off', false)"],
    ['set_config schema-qualified and quoted', `SELECT "pg_catalog"."set_config"('work_mem', '64kB', false)`],
    ['DO block', 'DO $$ BEGIN DELETE FROM accounts; END $$'],
    ['COPY TO PROGRAM', `COPY accounts TO PROGRAM 'touch ${'PWNED_COPY_PROGRAM'}'`],
    ['COPY TO file', `COPY (SELECT 1) TO 'PWNED_COPY_FILE'`],
    ['pg_read_file', "SELECT pg_read_file('/etc/passwd')"],
    ['pg_read_file in FROM', "SELECT * FROM pg_read_file('/etc/passwd') AS f(line)"],
    ['pg_read_file upper-case, schema-qualified', "SELECT PG_CATALOG.PG_READ_FILE('/etc/passwd')"],
    ['pg_ls_dir in ROWS FROM with LATERAL', "SELECT * FROM accounts, LATERAL ROWS FROM (pg_catalog.pg_ls_dir('.')) AS d"],
    ['pg_read_binary_file in a subquery', "SELECT (SELECT length(pg_read_binary_file('/etc/passwd')))"],
    ['large object import', "SELECT lo_import('/etc/passwd')"],
    ['large object export', "SELECT lo_export(1, 'PWNED_LO')"],
    ['large object create', 'SELECT lo_create(0)'],
    ['terminate another backend', 'SELECT pg_terminate_backend(VICTIM)'],
    ['cancel another backend in FROM', 'SELECT * FROM pg_cancel_backend(VICTIM)'],
    ['session advisory lock', 'SELECT pg_advisory_lock(42)'],
    ['advisory lock in a CASE', 'SELECT CASE WHEN true THEN pg_try_advisory_lock(43) END'],
    ['reload configuration', 'SELECT pg_reload_conf()'],
    ['replication slot', "SELECT pg_create_physical_replication_slot('pwned')"],
    ['statistics reset', 'SELECT pg_stat_reset()'],
    ['sequence nextval', "SELECT nextval('accounts_id_seq')"],
    ['dblink', "SELECT * FROM dblink('dbname=attack', 'DELETE FROM accounts') AS t(x text)"],
    ['query_to_xml hiding SQL text', "SELECT query_to_xml('SELECT pg_read_file(''/etc/passwd'')', true, false, '')"],
    ['EXPLAIN ANALYZE DELETE', 'EXPLAIN ANALYZE DELETE FROM accounts'],
    ['SELECT FOR UPDATE', 'SELECT * FROM accounts FOR UPDATE'],
    ['LOCK TABLE', 'LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE'],
    ['PREPARE', 'PREPARE p AS DELETE FROM accounts'],
    ['DECLARE WITH HOLD', 'DECLARE c CURSOR WITH HOLD FOR SELECT 1'],
    ['LISTEN', 'LISTEN pwned'],
    ['CREATE TEMP TABLE', 'CREATE TEMP TABLE t AS SELECT 1'],
    ['CALL', 'CALL pwned()'],
    ['VACUUM', 'VACUUM accounts'],
    ['ALTER SYSTEM', "ALTER SYSTEM SET work_mem = '1MB'"],
    ['SET session', "SET work_mem = '64kB'"],
    ['advisory lock in ORDER BY', 'SELECT id FROM accounts ORDER BY pg_advisory_lock(id)'],
    ['advisory lock in TABLESAMPLE', 'SELECT * FROM accounts TABLESAMPLE bernoulli ((pg_try_advisory_lock(1)::int * 100))'],
    ['advisory lock in a window', 'SELECT sum(id) OVER (ORDER BY pg_advisory_lock(id)) FROM accounts'],
    ['pg_cron job', "SELECT cron.schedule('* * * * *', 'DELETE FROM accounts')"],
    ['background worker', "SELECT pg_background_launch('DELETE FROM accounts')"],
    ['ts_stat hiding SQL text', "SELECT * FROM ts_stat('SELECT to_tsvector(pg_read_file(''/etc/passwd''))')"],
    ['NOTIFY through a function', "SELECT pg_notify('c', 'x')"],
    ['attribute notation', 'SELECT a.pg_advisory_lock FROM (SELECT 1::bigint) AS a(x)'],
    ['unparsable', 'SELECT FROM WHERE ;;'],
  ];

  it.each(attacks)('refuses %s, saying why', async (_label, template) => {
    const sql = template
      .replace('VICTIM', String(victimPid))
      .replace('PWNED_COPY_PROGRAM', pwned('program'))
      .replace('PWNED_COPY_FILE', pwned('file'))
      .replace('PWNED_LO', pwned('lo'));
    const result = await call(host.client, 'db__query', { sql });
    if (process.env.PG_DEBUG) console.error(_label, '=>', result.text);
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/refused|does not parse/);
    expect(result.text).not.toContain(SUPERUSER_PASSWORD);
  });

  it('refuses the same attacks through explain, with and without analyze', async () => {
    for (const sql of ['DELETE FROM accounts', 'SELECT 1; DROP TABLE accounts', "SELECT pg_read_file('/etc/passwd')", 'WITH d AS (DELETE FROM accounts RETURNING 1) SELECT * FROM d']) {
      for (const analyze of [false, true]) {
        const result = await call(host.client, 'db__explain', { sql, analyze });
        expect(result.isError, `${sql} analyze=${analyze}`).toBe(true);
        expect(result.text).toMatch(/^refused/);
      }
    }
  });

  it('has no execute tool unless allowWrites is set, and marks the others read-only', async () => {
    const { tools } = await host.client.listTools();
    const names = tools.map((t) => t.name).filter((n) => n.startsWith('db__'));
    expect(names.sort()).toEqual(['db__describe_table', 'db__explain', 'db__list_schemas', 'db__list_tables', 'db__query']);
    for (const tool of tools.filter((t) => t.name.startsWith('db__'))) {
      expect(tool.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
    }
  });

  it('still answers ordinary reads that only look suspicious', async () => {
    const comment = await call(host.client, 'db__query', { sql: 'SELECT count(*) AS n FROM accounts /* ; DROP TABLE accounts */' });
    expect(comment.isError).toBe(false);
    expect(comment.structured.rows).toEqual([['3']]);
    const literal = await call(host.client, 'db__query', { sql: "SELECT 'DROP TABLE accounts; COMMIT' AS s, $1::text AS p", params: ["'; DELETE FROM accounts; --"] });
    expect(literal.structured.rows).toEqual([['DROP TABLE accounts; COMMIT', "'; DELETE FROM accounts; --"]]);
  });

  it('leaves the database exactly as it was: rows, objects, sequences, locks, slots, stats, files, other sessions', async () => {
    expect(await snapshot(pgServer, DB)).toEqual(before);
    for (const name of ['program', 'file', 'lo']) expect(existsSync(pwned(name)), name).toBe(false);
    expect((await victim.query('SELECT 1 AS alive')).rows).toEqual([{ alive: 1 }]);
    const leftovers = await pgServer.sql(
      `SELECT pid, state, query FROM pg_stat_activity WHERE application_name = 'mcp-host/db' AND datname = current_database() AND (state <> 'idle' OR backend_xid IS NOT NULL)`,
      [],
      DB,
    );
    expect(leftovers).toEqual([]);
  });

  it('starts every query with clean session settings (nothing leaks into the next pooled checkout)', async () => {
    // Run several reads so both pooled connections are used, then read the settings an attacker would target.
    for (let i = 0; i < 4; i++) await call(host.client, 'db__query', { sql: 'SELECT 1' });
    const result = await call(host.client, 'db__query', {
      sql: "SELECT current_setting('work_mem') AS work_mem, current_setting('transaction_read_only') AS ro, (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory') AS locks, (SELECT count(*) FROM pg_prepared_statements) AS prepared, (SELECT count(*) FROM pg_cursors) AS cursors",
    });
    const [workMem, readOnly, locks, prepared, cursors] = result.structured.rows[0];
    expect({ workMem, readOnly, locks, prepared, cursors }).toEqual({ workMem: '4MB', readOnly: 'on', locks: '0', prepared: '0', cursors: '1' });
  });
});
