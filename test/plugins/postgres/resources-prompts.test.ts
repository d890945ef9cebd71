// Issue 4, "Results, resources, prompts": the schema overview and per-table template, completion of
// table names, the prompts, and the metrics resource that is polled only while someone is subscribed.
import { ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordNotifications } from '../../helpers/proto-fixture.js';
import { call, postgresConfig, seedDatabase } from '../../helpers/postgres-fixture.js';
import { startPostgres, type PostgresServer } from '../../helpers/postgres-server.js';
import { spawnHost, type HostUnderTest } from '../../helpers/spawn-host.js';

const server = await startPostgres();
const DB = 'resources';
const INTERVAL = 200;

describe.skipIf(!server)('postgres resources, prompts and metrics', () => {
  const pgServer = server as PostgresServer;
  let host: HostUnderTest;
  let updates: ReturnType<typeof recordNotifications>;

  // When the plugin's connections last did anything (pg_stat_activity.state_change): it moves with every query.
  const lastActivity = async () =>
    (await pgServer.sql<{ at: string | null }>(`SELECT max(state_change)::text AS at FROM pg_stat_activity WHERE application_name = 'mcp-host/db'`, [], DB))[0].at;

  beforeAll(async () => {
    await seedDatabase(pgServer, DB);
    host = await spawnHost({
      configPath: postgresConfig({ db: { connectionString: pgServer.url(DB), metricsIntervalMs: INTERVAL } }),
      setup: (client) => {
        updates = recordNotifications(client, ResourceUpdatedNotificationSchema);
      },
    });
  });
  afterAll(async () => {
    await host?.close();
    pgServer.destroy();
  });

  it('lists the schema overview, the metrics resource, the table template and one resource per table', async () => {
    const { resources } = await host.client.listResources();
    const uris = resources.map((r) => r.uri);
    expect(uris).toEqual(expect.arrayContaining(['postgres://db/schema', 'postgres://db/metrics', 'postgres://db/table/public/accounts', 'postgres://db/table/hidden/secrets']));
    const { resourceTemplates } = await host.client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toContain('postgres://db/table/{schema}/{table}');
  });

  it('reads the schema overview and a table', async () => {
    const overview = await host.client.readResource({ uri: 'postgres://db/schema' });
    const body = JSON.parse(String(overview.contents[0].text));
    expect(Object.keys(body.schemas).sort()).toEqual(['hidden', 'public']);
    expect(body.schemas.public.map((t: { name: string }) => t.name)).toEqual(['accounts', 'big', 'orders']);
    const table = await host.client.readResource({ uri: 'postgres://db/table/public/orders' });
    expect(table.contents[0].uri).toBe('postgres://db/table/public/orders');
    expect(String(table.contents[0].text)).toMatch(/^table public\.orders[\s\S]*primary key: \(id\)[\s\S]*REFERENCES accounts\(id\)[\s\S]*index CREATE INDEX orders_account_idx/);
  });

  it('completes table and schema names', async () => {
    const tables = await host.client.complete({
      ref: { type: 'ref/resource', uri: 'postgres://db/table/{schema}/{table}' },
      argument: { name: 'table', value: 'or' },
      context: { arguments: { schema: 'public' } },
    });
    expect(tables.completion.values).toEqual(['orders']);
    const schemas = await host.client.complete({ ref: { type: 'ref/prompt', name: 'db__explore_database' }, argument: { name: 'schema', value: 'pu' } });
    expect(schemas.completion.values).toEqual(['public']);
  });

  it('offers explore_database and explain_slow_query prompts', async () => {
    const { prompts } = await host.client.listPrompts();
    expect(prompts.map((p) => p.name).filter((n) => n.startsWith('db__')).sort()).toEqual(['db__explain_slow_query', 'db__explore_database']);
    const slow = await host.client.getPrompt({ name: 'db__explain_slow_query', arguments: { sql: 'SELECT * FROM big WHERE payload = $1' } });
    const text = (slow.messages[0].content as { text: string }).text;
    expect(text).toContain('SELECT * FROM big WHERE payload = $1');
    expect(text).toContain('db__explain');
  });

  it('polls nothing for metrics while no one is subscribed', async () => {
    await call(host.client, 'db__query', { sql: 'SELECT 1' });
    const before = await lastActivity();
    expect(before).not.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, INTERVAL * 5));
    expect(await lastActivity()).toBe(before);
    expect(updates.items).toEqual([]);
  });

  it('pushes metrics updates while subscribed, and stops after unsubscribe', async () => {
    const before = await lastActivity();
    await host.client.subscribeResource({ uri: 'postgres://db/metrics' });
    const got = await updates.next(2);
    expect(await lastActivity()).not.toBe(before);
    expect(got.every((u) => u.uri === 'postgres://db/metrics')).toBe(true);
    const read = await host.client.readResource({ uri: 'postgres://db/metrics' });
    const metrics = JSON.parse(String(read.contents[0].text));
    expect(metrics).toMatchObject({ database: DB, commits: expect.any(Number), rollbacks: expect.any(Number), databaseSizeBytes: expect.any(Number) });
    expect(Object.keys(metrics.connections).length).toBeGreaterThan(0);
    expect(metrics).toHaveProperty('cacheHitRatio');
    expect(metrics).toHaveProperty('longestRunningQuery');
    await host.client.unsubscribeResource({ uri: 'postgres://db/metrics' });
    const count = updates.items.length;
    await new Promise((resolve) => setTimeout(resolve, INTERVAL * 5));
    expect(updates.items.length).toBe(count);
  });
});
