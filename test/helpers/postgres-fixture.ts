/**
 * Seeded databases and host configs for the postgres plugin tests, plus a snapshot of everything an
 * attack could have changed, so refusal tests check the database afterwards.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { READER_PASSWORD, type PostgresServer } from './postgres-server.js';
import { writeConfig } from './spawn-host.js';

export const SEED_SQL = `
CREATE TABLE accounts (id serial PRIMARY KEY, name text NOT NULL, balance numeric(12,2) DEFAULT 0, created timestamptz NOT NULL DEFAULT '2024-01-02 03:04:05+00');
COMMENT ON TABLE accounts IS 'Customer accounts';
COMMENT ON COLUMN accounts.name IS 'Display name';
CREATE TABLE orders (id serial PRIMARY KEY, account_id int NOT NULL REFERENCES accounts(id), total numeric(12,2), meta jsonb, CHECK (total >= 0));
CREATE INDEX orders_account_idx ON orders (account_id);
INSERT INTO accounts (name, balance) VALUES ('ada', 100), ('alan', 200), ('grace', 300);
INSERT INTO orders (account_id, total, meta) VALUES (1, 10.5, '{"gift": true}'), (2, 20, NULL);
CREATE TABLE big AS SELECT g AS id, md5(g::text) AS payload FROM generate_series(1, 200000) g;
CREATE SCHEMA hidden;
CREATE TABLE hidden.secrets (id int, secret text);
INSERT INTO hidden.secrets VALUES (1, 'top');
ANALYZE;
`;

/** Creates database `name`, seeds it, and (once per server) a non-superuser role `reader` that may read everything. */
export async function seedDatabase(server: PostgresServer, name: string): Promise<void> {
  await server.createDatabase(name);
  await server.sql(SEED_SQL, [], name);
  const [{ exists }] = await server.sql<{ exists: boolean }>(`SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = 'reader') AS exists`);
  if (!exists) await server.sql(`CREATE ROLE reader LOGIN PASSWORD '${READER_PASSWORD}'; GRANT pg_read_all_data TO reader`);
}

export interface DbSnapshot {
  accounts: string;
  orders: string;
  relations: string;
  sequence: string;
  largeObjects: string;
  slots: string;
  advisoryLocks: string;
  statsReset: string | null;
  preparedXacts: string;
}

/** Everything an attack could change, read as the superuser on its own connection. */
export async function snapshot(server: PostgresServer, database: string): Promise<DbSnapshot> {
  const [row] = await server.sql<DbSnapshot>(
    `SELECT (SELECT string_agg(id || ':' || name || ':' || balance, ',' ORDER BY id) FROM accounts) AS accounts,
      (SELECT string_agg(id || ':' || account_id || ':' || total, ',' ORDER BY id) FROM orders) AS orders,
      (SELECT string_agg(n.nspname || '.' || c.relname, ',' ORDER BY 1) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')) AS relations,
      (SELECT last_value::text FROM accounts_id_seq) AS sequence,
      (SELECT count(*)::text FROM pg_largeobject_metadata) AS "largeObjects",
      (SELECT count(*)::text FROM pg_replication_slots) AS slots,
      (SELECT count(*)::text FROM pg_locks WHERE locktype = 'advisory') AS "advisoryLocks",
      (SELECT stats_reset::text FROM pg_stat_database WHERE datname = current_database()) AS "statsReset",
      (SELECT count(*)::text FROM pg_prepared_xacts) AS "preparedXacts"`,
    [],
    database,
  );
  return row;
}

/** A plugins.json with postgres instances (`instance -> config`). */
export function postgresConfig(instances: Record<string, Record<string, unknown>>, extra: Record<string, unknown> = {}): string {
  const plugins = Object.fromEntries(Object.entries(instances).map(([name, config]) => [name, { plugin: 'postgres', config }]));
  return writeConfig({ ...extra, plugins });
}

export interface ToolOutcome {
  isError: boolean;
  text: string;
  structured: any;
}

export async function call(client: Client, name: string, args: Record<string, unknown>, options?: { signal?: AbortSignal }): Promise<ToolOutcome> {
  const result = await client.callTool({ name, arguments: args }, undefined, { signal: options?.signal, timeout: 120_000 });
  const text = ((result.content as { type: string; text?: string }[]) ?? []).map((c) => c.text ?? '').join('\n');
  return { isError: result.isError === true, text, structured: result.structuredContent };
}
