// Issue 4: "Connections are pooled and lazy: the daemon starts and answers initialize while the database
// is down; tools then return a clear error naming host and port (never the password) and recover by
// themselves when it comes back. Two instances serve two databases independently." Also the role check
// at start: a superuser connection is flagged in host__status, a read-only role is not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostStatus } from '../../helpers/host-status.js';
import { call, postgresConfig, seedDatabase } from '../../helpers/postgres-fixture.js';
import { READER_PASSWORD, startPostgres, SUPERUSER_PASSWORD, type PostgresServer } from '../../helpers/postgres-server.js';
import { spawnHost, type HostUnderTest } from '../../helpers/spawn-host.js';

const server = await startPostgres();

describe.skipIf(!server)('postgres availability and instances', () => {
  const pgServer = server as PostgresServer;
  let host: HostUnderTest;

  beforeAll(async () => {
    await seedDatabase(pgServer, 'alpha');
    await seedDatabase(pgServer, 'beta');
    await pgServer.sql(`CREATE TABLE only_in_alpha (x int); INSERT INTO only_in_alpha VALUES (1)`, [], 'alpha');
    await pgServer.sql(`CREATE TABLE only_in_beta (y text); INSERT INTO only_in_beta VALUES ('b')`, [], 'beta');
    await pgServer.sql(`CREATE ROLE filer LOGIN PASSWORD 'filer-pw-Lm2'; GRANT pg_read_server_files, pg_execute_server_program TO filer`);
    pgServer.stop();
    host = await spawnHost({
      configPath: postgresConfig({
        a: { connectionString: pgServer.url('alpha'), pool: { connectionTimeoutMs: 2000 } },
        b: { connectionString: pgServer.url('beta', 'reader', READER_PASSWORD), pool: { connectionTimeoutMs: 2000 } },
        wrong: { connectionString: pgServer.url('alpha', 'reader', 'not-the-password-Qw7'), pool: { connectionTimeoutMs: 2000 } },
        files: { connectionString: pgServer.url('alpha', 'filer', 'filer-pw-Lm2'), pool: { connectionTimeoutMs: 2000 } },
      }),
    });
  });
  afterAll(async () => {
    await host?.close();
    pgServer.destroy();
  });

  it('starts and lists every tool while the database is down', async () => {
    const { tools } = await host.client.listTools();
    expect(tools.map((t) => t.name).filter((n) => n.endsWith('__query')).sort()).toEqual(['a__query', 'b__query', 'files__query', 'wrong__query']);
    const status = await hostStatus(host.client);
    expect(status.byId('a').state).toBe('serving');
  });

  it('answers with a clear error naming host and port, never the password', async () => {
    const result = await call(host.client, 'a__query', { sql: 'SELECT 1' });
    expect(result.isError).toBe(true);
    expect(result.text).toContain(`cannot connect to PostgreSQL at 127.0.0.1:${pgServer.port} (database "alpha", user "postgres")`);
    expect(result.text).toMatch(/ECONNREFUSED/);
    expect(result.text).not.toContain(SUPERUSER_PASSWORD);
    expect(host.stderr()).not.toContain(SUPERUSER_PASSWORD);
  });

  it('recovers by itself when the database comes back', async () => {
    pgServer.start();
    const result = await call(host.client, 'a__query', { sql: 'SELECT x FROM only_in_alpha' });
    expect(result.isError).toBe(false);
    expect(result.structured.rows).toEqual([[1]]);
  });

  it('serves two databases independently', async () => {
    const beta = await call(host.client, 'b__query', { sql: 'SELECT y FROM only_in_beta' });
    expect(beta.structured.rows).toEqual([['b']]);
    const crossed = await call(host.client, 'b__query', { sql: 'SELECT x FROM only_in_alpha' });
    expect(crossed).toMatchObject({ isError: true, text: 'PostgreSQL error 42P01: relation "only_in_alpha" does not exist' });
    const { resources } = await host.client.listResources();
    expect(resources.map((r) => r.uri).filter((u) => u.endsWith('/schema')).sort()).toEqual(['postgres://a/schema', 'postgres://b/schema', 'postgres://files/schema', 'postgres://wrong/schema']);
  });

  it('reports a failed login without echoing the password', async () => {
    const result = await call(host.client, 'wrong__query', { sql: 'SELECT 1' });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/password authentication failed for user "reader"/);
    expect(result.text).toContain(`127.0.0.1:${pgServer.port}`);
    expect(result.text).not.toContain('not-the-password-Qw7');
    expect(host.stderr()).not.toContain('not-the-password-Qw7');
  });

  it('warns in host__status when connected as a superuser, not for a read-only role', async () => {
    const status = await hostStatus(host.client);
    expect(status.byId('a').warnings).toEqual([expect.stringMatching(/role "postgres", which is a superuser.*read-only role/)]);
    expect(status.byId('b').warnings).toEqual([]);
    await call(host.client, 'files__query', { sql: 'SELECT 1' });
    const files = await hostStatus(host.client);
    expect(files.byId('files').warnings).toEqual([
      expect.stringMatching(/role "filer", which may read server files \(pg_read_server_files\), may run server programs \(pg_execute_server_program\)/),
    ]);
  });
});
