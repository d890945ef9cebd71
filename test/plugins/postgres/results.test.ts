// Issue 4, "Tools" and "Results": structuredContent with typed columns and a compact text table,
// row and byte caps that say "truncated" and how to get the rest (read through a cursor, so a big
// table never loads), the catalog tools, explain, and execute only with allowWrites.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, postgresConfig, seedDatabase } from '../../helpers/postgres-fixture.js';
import { startPostgres, type PostgresServer } from '../../helpers/postgres-server.js';
import { spawnHost, type HostUnderTest } from '../../helpers/spawn-host.js';

const server = await startPostgres();
const DB = 'results';

describe.skipIf(!server)('postgres tools and results', () => {
  const pgServer = server as PostgresServer;
  let host: HostUnderTest;

  beforeAll(async () => {
    await seedDatabase(pgServer, DB);
    host = await spawnHost({
      configPath: postgresConfig({
        db: { connectionString: '${DATABASE_URL}', maxRows: 50, maxResultBytes: 4096 },
        rw: { connectionString: '${DATABASE_URL}', allowWrites: true },
        scoped: { connectionString: '${DATABASE_URL}', schemas: ['public'] },
      }),
      env: { DATABASE_URL: pgServer.url(DB) },
    });
  });
  afterAll(async () => {
    await host?.close();
    pgServer.destroy();
  });

  it('returns typed columns, rows as arrays and a compact text table', async () => {
    const result = await call(host.client, 'db__query', {
      sql: 'SELECT a.id, a.name, a.balance, a.created, o.meta FROM accounts a LEFT JOIN orders o ON o.account_id = a.id WHERE a.id <= $1 ORDER BY a.id',
      params: [2],
    });
    expect(result.isError).toBe(false);
    expect(result.structured).toEqual({
      columns: [
        { name: 'id', type: 'int4' },
        { name: 'name', type: 'text' },
        { name: 'balance', type: 'numeric' },
        { name: 'created', type: 'timestamptz' },
        { name: 'meta', type: 'jsonb' },
      ],
      rows: [
        [1, 'ada', '100.00', '2024-01-02 03:04:05+00', { gift: true }],
        [2, 'alan', '200.00', '2024-01-02 03:04:05+00', null],
      ],
      rowCount: 2,
      truncated: false,
      command: 'SELECT',
    });
    expect(result.text.split('\n')).toEqual([
      'id:int4\tname:text\tbalance:numeric\tcreated:timestamptz\tmeta:jsonb',
      '1\tada\t100.00\t2024-01-02 03:04:05+00\t{"gift":true}',
      '2\talan\t200.00\t2024-01-02 03:04:05+00\tNULL',
      '(2 rows)',
    ]);
  });

  it('stops at maxRows over a 200,000-row table, says truncated and how to page', async () => {
    const result = await call(host.client, 'db__query', { sql: 'SELECT * FROM big ORDER BY id' });
    expect(result.isError).toBe(false);
    expect(result.structured.rowCount).toBe(50);
    expect(result.structured.rows.at(-1)[0]).toBe(50);
    expect(result.structured.truncated).toBe(true);
    expect(result.structured.truncatedBy).toBe('maxRows');
    expect(result.text).toMatch(/truncated: more rows exist beyond the first 50 \(cap maxRows=50\)/);
    expect(result.text).toMatch(/OFFSET 50/);
  });

  it('a smaller maxRows argument applies; one above the configured cap is refused by the schema', async () => {
    const few = await call(host.client, 'db__query', { sql: 'SELECT id FROM big', maxRows: 3 });
    expect(few.structured).toMatchObject({ rowCount: 3, truncated: true });
    const tooMany = await call(host.client, 'db__query', { sql: 'SELECT id FROM big', maxRows: 51 });
    expect(tooMany.isError).toBe(true);
  });

  it('does not mark an exact fit as truncated', async () => {
    const result = await call(host.client, 'db__query', { sql: 'SELECT g FROM generate_series(1, 50) g' });
    expect(result.structured).toMatchObject({ rowCount: 50, truncated: false });
  });

  it('stops at maxResultBytes and cuts a single huge value', async () => {
    const wide = await call(host.client, 'db__query', { sql: "SELECT g, repeat('x', 500) AS filler FROM generate_series(1, 40) g" });
    expect(wide.structured.truncated).toBe(true);
    expect(wide.structured.truncatedBy).toBe('maxResultBytes');
    expect(JSON.stringify(wide.structured.rows).length).toBeLessThanOrEqual(4096);
    expect(wide.text).toMatch(/cap maxResultBytes=4096/);
    const huge = await call(host.client, 'db__query', { sql: "SELECT repeat('y', 100000) AS blob" });
    expect(huge.structured.rowCount).toBe(1);
    expect(huge.structured.truncatedCells).toBe(1);
    expect(huge.structured.rows[0][0]).toMatch(/^y+…\[\d+ more characters\]$/);
  });

  it('past the byte cap, stops a statement whose remaining rows would be huge on the server', async () => {
    // 51 rows of 2 MB would be ~100 MB on the wire: the plugin keeps what fits and cancels the rest.
    const result = await call(host.client, 'db__query', { sql: "SELECT g, repeat('z', 2000000) AS blob FROM generate_series(1, 1000) g" });
    expect(result.isError).toBe(false);
    expect(result.structured).toMatchObject({ truncated: true, truncatedBy: 'maxResultBytes' });
    expect(result.structured.rowCount).toBeGreaterThanOrEqual(1);
    const active = await pgServer.sql(`SELECT pid FROM pg_stat_activity WHERE application_name = 'mcp-host/db' AND state = 'active'`, [], DB);
    expect(active).toEqual([]);
    const next = await call(host.client, 'db__query', { sql: 'SELECT 1 AS ok' });
    expect(next.structured.rows).toEqual([[1]]);
  });

  it('lists schemas and tables, and describes a table with keys, indexes and comments', async () => {
    const schemas = await call(host.client, 'db__list_schemas', {});
    expect(schemas.structured.rows.map((r: unknown[]) => r[0])).toEqual(['hidden', 'public']);
    const tables = await call(host.client, 'db__list_tables', { schema: 'public' });
    expect(tables.structured.rows.map((r: unknown[]) => r[1])).toEqual(['accounts', 'big', 'orders']);
    expect(tables.structured.rows[0]).toEqual(['public', 'accounts', 'table', '3', 'Customer accounts']);
    const described = await call(host.client, 'db__describe_table', { table: 'orders' });
    expect(described.isError).toBe(false);
    expect(described.structured).toMatchObject({
      schema: 'public',
      name: 'orders',
      kind: 'table',
      primaryKey: ['id'],
      foreignKeys: [{ references: 'accounts', definition: 'FOREIGN KEY (account_id) REFERENCES accounts(id)' }],
      constraints: [{ type: 'check' }],
    });
    expect(described.structured.columns.map((c: { name: string }) => c.name)).toEqual(['id', 'account_id', 'total', 'meta']);
    expect(described.structured.columns[1]).toEqual({ name: 'account_id', type: 'integer', nullable: false, default: null, comment: null });
    expect(described.structured.indexes.map((i: { name: string }) => i.name)).toEqual(['orders_account_idx', 'orders_pkey']);
    const accounts = await call(host.client, 'db__describe_table', { table: 'accounts', schema: 'public' });
    expect(accounts.text).toMatch(/name text NOT NULL -- Display name/);
    const missing = await call(host.client, 'db__describe_table', { table: 'nope' });
    expect(missing).toMatchObject({ isError: true, text: 'no table or view "nope" on the search path' });
  });

  it('explains a plan, and with analyze shows actual rows', async () => {
    const plan = await call(host.client, 'db__explain', { sql: 'SELECT * FROM orders WHERE account_id = 1' });
    expect(plan.isError).toBe(false);
    expect(plan.structured.plan.Plan['Node Type']).toBeTypeOf('string');
    const analyzed = await call(host.client, 'db__explain', { sql: 'SELECT count(*) FROM big', analyze: true });
    expect(analyzed.text).toMatch(/actual time=.*rows=1 loops=1/);
    expect(analyzed.text).toMatch(/execution [\d.]+ ms/);
  });

  it('turns SQL errors into clear isError results', async () => {
    const result = await call(host.client, 'db__query', { sql: 'SELECT * FROM no_such_table' });
    expect(result).toMatchObject({ isError: true, text: 'PostgreSQL error 42P01: relation "no_such_table" does not exist' });
  });

  it('with a schemas allowlist: lists only those, and refuses qualified references elsewhere', async () => {
    const schemas = await call(host.client, 'scoped__list_schemas', {});
    expect(schemas.structured.rows.map((r: unknown[]) => r[0])).toEqual(['public']);
    const hidden = await call(host.client, 'scoped__query', { sql: 'SELECT * FROM hidden.secrets' });
    expect(hidden.isError).toBe(true);
    expect(hidden.text).toMatch(/schema "hidden" is outside/);
    const catalog = await call(host.client, 'scoped__query', { sql: 'SELECT count(*) FROM pg_catalog.pg_class WHERE relname = $1', params: ['accounts'] });
    expect(catalog.structured.rows).toEqual([['1']]);
  });

  it('execute exists only with allowWrites, is marked destructive, commits, and still refuses escapes', async () => {
    const { tools } = await host.client.listTools();
    expect(tools.filter((t) => t.name.endsWith('__execute')).map((t) => t.name)).toEqual(['rw__execute']);
    expect(tools.find((t) => t.name === 'rw__execute')?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    const insert = await call(host.client, 'rw__execute', { sql: 'INSERT INTO orders (account_id, total) VALUES ($1, $2) RETURNING id', params: [3, 7] });
    expect(insert.isError).toBe(false);
    expect(insert.structured).toMatchObject({ rowCount: 1, command: 'INSERT', affectedRows: 1 });
    const [{ n }] = await pgServer.sql<{ n: string }>('SELECT count(*) AS n FROM orders WHERE account_id = 3', [], DB);
    expect(n).toBe('1');
    for (const sql of ['COMMIT', 'DELETE FROM orders; DROP TABLE accounts', "COPY orders TO PROGRAM 'true'", "SELECT pg_terminate_backend(1)", 'DO $$ BEGIN END $$']) {
      const refused = await call(host.client, 'rw__execute', { sql });
      expect(refused.isError, sql).toBe(true);
    }
    // The read-only tool of the same instance still cannot write.
    const write = await call(host.client, 'rw__query', { sql: 'DELETE FROM orders' });
    expect(write.isError).toBe(true);
    const [{ total }] = await pgServer.sql<{ total: string }>('SELECT count(*) AS total FROM orders', [], DB);
    expect(total).toBe('3');
  });
});
