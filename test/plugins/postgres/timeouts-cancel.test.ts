// Issue 4: "on timeout or client cancellation the query is cancelled on the server, not only abandoned
// by the client". Checked in pg_stat_activity from a separate superuser connection.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../../helpers/proto-fixture.js';
import { call, postgresConfig, seedDatabase } from '../../helpers/postgres-fixture.js';
import { startPostgres, type PostgresServer } from '../../helpers/postgres-server.js';
import { spawnHost, type HostUnderTest } from '../../helpers/spawn-host.js';

const server = await startPostgres();
const DB = 'timeouts';

describe.skipIf(!server)('postgres timeouts and cancellation', () => {
  const pgServer = server as PostgresServer;
  let host: HostUnderTest;

  const running = (instance: string) =>
    pgServer.sql<{ pid: number; query: string }>(
      `SELECT pid, query FROM pg_stat_activity WHERE application_name = $1 AND state = 'active' AND query LIKE '%pg_sleep%'`,
      [`mcp-host/${instance}`],
      DB,
    );

  beforeAll(async () => {
    await seedDatabase(pgServer, DB);
    host = await spawnHost({
      configPath: postgresConfig({
        quick: { connectionString: pgServer.url(DB), statementTimeoutMs: 300 },
        patient: { connectionString: pgServer.url(DB), statementTimeoutMs: 120000 },
      }),
    });
  });
  afterAll(async () => {
    await host?.close();
    pgServer.destroy();
  });

  it('cancels a query on the server when statementTimeoutMs runs out', async () => {
    const result = await call(host.client, 'quick__query', { sql: 'SELECT pg_sleep(30)' });
    expect(result).toMatchObject({ isError: true, text: 'query cancelled on the server: statement timeout of 300 ms reached' });
    expect(await running('quick')).toEqual([]);
  });

  it('gives up waiting for a lock after the timeout', async () => {
    const locker = new pg.Client({ host: pgServer.socketDir, port: pgServer.port, user: 'postgres', database: DB });
    await locker.connect();
    try {
      await locker.query('BEGIN; LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE');
      const result = await call(host.client, 'quick__query', { sql: 'SELECT count(*) FROM accounts' });
      expect(result.isError).toBe(true);
      expect(result.text).toMatch(/lock timeout|statement timeout/);
      await locker.query('ROLLBACK');
    } finally {
      await locker.end();
    }
    const [{ waiting }] = await pgServer.sql<{ waiting: string }>(`SELECT count(*) AS waiting FROM pg_locks WHERE NOT granted`, [], DB);
    expect(waiting).toBe('0');
  });

  it('cancels the query on the server when the client cancels the call', async () => {
    const controller = new AbortController();
    const pending = call(host.client, 'patient__query', { sql: 'SELECT pg_sleep(60)' }, { signal: controller.signal });
    pending.catch(() => undefined);
    const seen = await until(() => running('patient'), (rows) => rows.length === 1, 250);
    expect(seen).toHaveLength(1);
    controller.abort();
    await expect(pending).rejects.toThrow();
    // Liveness bound: the 60 s sleep must be gone from the server long before it would end.
    const after = await until(() => running('patient'), (rows) => rows.length === 0, 250);
    expect(after).toEqual([]);
    const next = await call(host.client, 'patient__query', { sql: 'SELECT 42 AS answer' });
    expect(next.structured.rows).toEqual([[42]]);
  });
});
