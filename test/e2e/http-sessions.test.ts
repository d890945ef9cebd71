import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ResourceUpdatedNotificationSchema, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fixturePluginsDir } from '../helpers/host-status.js';
import { nodeBinaries } from '../helpers/node-binaries.js';
import { pollUntil } from '../helpers/reload-wait.js';
import { writeConfig } from '../helpers/spawn-host.js';
import { connectHttp, INITIALIZE, MCP_HEADERS, spawnHttpHost, type HttpHost } from '../helpers/spawn-http-host.js';

const text = (result: any) => (result.content as { text?: string }[]).map((c) => c.text ?? '').join('\n');

/** Resolves on the next tools/list_changed this client receives (rejects after 15 s). */
function nextToolListChanged(client: Awaited<ReturnType<typeof connectHttp>>['client']): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no tools/list_changed within 15 s')), 15_000);
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

describe.each(nodeBinaries())('serve --http: stateful sessions over one shared host ($label)', ({ path: node }) => {
  let host: HttpHost;
  let configPath: string;
  const plugins: Record<string, unknown> = { hello: {}, proto: { plugin: 'proto-kitchen' } };

  beforeAll(async () => {
    configPath = writeConfig({ pluginDirs: [fixturePluginsDir], plugins });
    host = await spawnHttpHost({ configPath, node });
  });
  afterAll(async () => {
    await host?.stop();
  });

  test('two clients get two sessions served by the same plugin instances', async () => {
    const a = await connectHttp(host.url);
    const b = await connectHttp(host.url);
    expect(a.transport.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(b.transport.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.transport.sessionId).not.toBe(b.transport.sessionId);
    const [ra, rb] = await Promise.all([
      a.client.callTool({ name: 'hello__greet', arguments: { name: 'Ada' } }),
      b.client.callTool({ name: 'hello__greet', arguments: { name: 'Alan' } }),
    ]);
    expect(text(ra)).toContain('Ada');
    expect(text(rb)).toContain('Alan');
    // One instance for both sessions: host__status of either session shows the single "hello" instance.
    const status = (await b.client.callTool({ name: 'host__status', arguments: {} })).structuredContent as { instances: { instance: string }[] };
    expect(status.instances.filter((i) => i.instance === 'hello')).toHaveLength(1);
    await a.client.close();
    await b.client.close();
  });

  test('a plugins.json edit sends tools/list_changed to every session that listed tools', async () => {
    const a = await connectHttp(host.url);
    const b = await connectHttp(host.url);
    await a.client.listTools();
    await b.client.listTools();
    const changedA = nextToolListChanged(a.client);
    const changedB = nextToolListChanged(b.client);
    // An edit made before the watcher's first scan is not seen (it starts once plugins settled).
    await pollUntil('the daemon to watch plugins.json', async () => host.stderr(), (text) => text.includes('watching plugins.json'));
    plugins.slow = { plugin: 'life-slow-start', config: { delayMs: 0 } };
    writeFileSync(configPath, JSON.stringify({ pluginDirs: [fixturePluginsDir], plugins }, null, 2));
    await Promise.all([changedA, changedB]);
    for (const { client } of [a, b]) {
      const names = (await client.listTools()).tools.map((t) => t.name);
      expect(names).toContain('slow__ping');
      expect(text(await client.callTool({ name: 'slow__ping', arguments: {} }))).toBe('pong from slow');
    }
    await a.client.close();
    await b.client.close();
  });

  test('resources/updated reaches the sessions that subscribed, and only those', async () => {
    const sessions = await Promise.all([connectHttp(host.url), connectHttp(host.url), connectHttp(host.url)]);
    const seen: string[][] = sessions.map(() => []);
    sessions.forEach(({ client }, i) => client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void seen[i].push(n.params.uri)));
    await sessions[0].client.subscribeResource({ uri: 'kitchen://proto/menu' });
    await sessions[1].client.subscribeResource({ uri: 'kitchen://proto/menu' });
    // The third session calls the tool: the update goes to the two subscribers, not to it.
    await sessions[2].client.callTool({ name: 'proto__touch', arguments: { uri: 'kitchen://menu' } });
    // Notifications arrive on each subscriber's own GET stream: wait (bounded) for both.
    for (let i = 0; i < 50 && (seen[0].length === 0 || seen[1].length === 0); i++) await new Promise((r) => setTimeout(r, 100));
    expect(seen[0]).toEqual(['kitchen://proto/menu']);
    expect(seen[1]).toEqual(['kitchen://proto/menu']);
    await sessions[2].client.ping();
    expect(seen[2]).toEqual([]);
    for (const { client } of sessions) await client.close();
  });

  test('plugin subscription hooks run for the first subscriber across sessions and the last to leave (or end)', async () => {
    const [a, b, c] = await Promise.all([connectHttp(host.url), connectHttp(host.url), connectHttp(host.url)]);
    const uri = 'kitchen://proto/dish/soup';
    const hookCalls = async () => {
      const result = await c.client.callTool({ name: 'proto__hook_calls', arguments: {} });
      const calls = JSON.parse(text(result)) as [string, string][];
      return calls.filter(([, u]) => u === 'kitchen://dish/soup').map(([kind]) => kind);
    };
    await a.client.subscribeResource({ uri });
    await b.client.subscribeResource({ uri });
    expect(await hookCalls()).toEqual(['subscribe']);
    await a.client.unsubscribeResource({ uri });
    expect(await hookCalls()).toEqual(['subscribe']);
    // b ends its session without unsubscribing: it was the last subscriber.
    await b.transport.terminateSession();
    for (let i = 0; i < 50 && (await hookCalls()).length < 2; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await hookCalls()).toEqual(['subscribe', 'unsubscribe']);
    for (const s of [a, b, c]) await s.client.close();
  });

  test('DELETE ends a session: its id then gets 404 and the others keep working', async () => {
    const a = await connectHttp(host.url);
    const b = await connectHttp(host.url);
    const id = a.transport.sessionId!;
    await a.transport.terminateSession();
    const res = await fetch(host.url, {
      method: 'POST',
      headers: { ...MCP_HEADERS, 'mcp-session-id': id, 'mcp-protocol-version': '2025-06-18' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} }),
    });
    expect(res.status).toBe(404);
    expect((await res.json()).error.message).toMatch(/session not found/i);
    expect((await b.client.listTools()).tools.length).toBeGreaterThan(0);
    await b.client.close();
  });

  test('requests without a session that are not initialize get 400 with a JSON-RPC error', async () => {
    const res = await fetch(host.url, { method: 'POST', headers: MCP_HEADERS, body: JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/list' }) });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.jsonrpc).toBe('2.0');
    expect(body.error.code).toBe(-32000);
    const get = await fetch(host.url, { method: 'GET', headers: { accept: 'text/event-stream' } });
    expect(get.status).toBe(400);
  });

  test('malformed JSON gets 400 with a parse error; unknown paths 404; the daemon keeps serving', async () => {
    const bad = await fetch(host.url, { method: 'POST', headers: MCP_HEADERS, body: '{"jsonrpc": "2.0", "id": 1, "method": ' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe(-32700);
    const missing = await fetch(`${host.base}/nope`);
    expect(missing.status).toBe(404);
    expect((await missing.json()).jsonrpc).toBe('2.0');
    const put = await fetch(host.url, { method: 'PUT', headers: MCP_HEADERS, body: INITIALIZE });
    expect(put.status).toBe(405);
    const ok = await connectHttp(host.url);
    expect((await ok.client.listTools()).tools.length).toBeGreaterThan(0);
    await ok.client.close();
  });
});

describe('serve --http --stateless', () => {
  let host: HttpHost;

  beforeAll(async () => {
    host = await spawnHttpHost({ configPath: writeConfig({ plugins: { hello: {} } }), args: ['--stateless'] });
  });
  afterAll(async () => {
    await host?.stop();
  });

  test('no session id is issued and every request is answered on its own', async () => {
    const { client, transport } = await connectHttp(host.url);
    expect(transport.sessionId).toBeUndefined();
    expect((await client.listTools()).tools.map((t) => t.name)).toContain('hello__greet');
    expect(text(await client.callTool({ name: 'hello__greet', arguments: { name: 'Grace' } }))).toContain('Grace');
    await client.close();
    // A bare tools/call without initialize works too: any replica can answer any request.
    const res = await fetch(host.url, {
      method: 'POST',
      headers: MCP_HEADERS,
      body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'hello__greet', arguments: { name: 'Linus' } } }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('mcp-session-id')).toBeNull();
    expect(await res.text()).toContain('Linus');
  });

  test('GET (a server stream) is refused with 405: stateless mode has none', async () => {
    const res = await fetch(host.url, { method: 'GET', headers: { accept: 'text/event-stream' } });
    expect(res.status).toBe(405);
    expect((await res.json()).error).toBeDefined();
  });
});

describe('serve --http: health endpoints', () => {
  let host: HttpHost;

  beforeAll(async () => {
    const configPath = writeConfig({ pluginDirs: [fixturePluginsDir], plugins: { slow: { plugin: 'life-slow-start', config: { delayMs: 4000 } } } });
    host = await spawnHttpHost({ configPath });
  });
  afterAll(async () => {
    await host?.stop();
  });

  test('/healthz answers at once; /readyz is 503 until plugins settled, then 200', async () => {
    const health = await fetch(`${host.base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const early = await fetch(`${host.base}/readyz`);
    expect(early.status).toBe(503);
    let status = 503;
    for (let i = 0; i < 100 && status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = (await fetch(`${host.base}/readyz`)).status;
    }
    expect(status).toBe(200);
  });

  test('/readyz is 503 while plugins.json cannot be loaded, and 200 once it is fixed', async () => {
    const dir = dirname(writeConfig({ plugins: {} }));
    const broken = join(dir, 'plugins.json');
    writeFileSync(broken, '{ not json');
    const other = await spawnHttpHost({ configPath: broken });
    try {
      await new Promise((r) => setTimeout(r, 300));
      expect((await fetch(`${other.base}/readyz`)).status).toBe(503);
      expect((await fetch(`${other.base}/healthz`)).status).toBe(200);
      writeFileSync(broken, JSON.stringify({ plugins: { hello: {} } }));
      let status = 503;
      for (let i = 0; i < 100 && status !== 200; i++) {
        await new Promise((r) => setTimeout(r, 100));
        status = (await fetch(`${other.base}/readyz`)).status;
      }
      expect(status).toBe(200);
    } finally {
      await other.stop();
    }
  });
});

describe('serve --http: idle sessions', () => {
  let host: HttpHost;

  beforeAll(async () => {
    host = await spawnHttpHost({ configPath: writeConfig({ http: { sessionIdleMs: 1000 }, plugins: { hello: {} } }) });
  });
  afterAll(async () => {
    await host?.stop();
  });

  test('a session without requests for sessionIdleMs is closed (its id then gets 404); a busy one stays', async () => {
    const open = async () => {
      const res = await fetch(host.url, { method: 'POST', headers: MCP_HEADERS, body: INITIALIZE });
      await res.text();
      return res.headers.get('mcp-session-id')!;
    };
    const list = (id: string) =>
      fetch(host.url, {
        method: 'POST',
        headers: { ...MCP_HEADERS, 'mcp-session-id': id, 'mcp-protocol-version': '2025-06-18' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} }),
      });
    const idle = await open();
    const busy = await open();
    // `busy` makes a request every 300 ms; `idle` makes none for 3 s.
    for (let i = 0; i < 10; i++) {
      const res = await list(busy);
      expect(res.status).toBe(200);
      await res.text();
      await new Promise((r) => setTimeout(r, 300));
    }
    const gone = await list(idle);
    expect(gone.status).toBe(404);
    expect(host.stderr()).toContain(`closing idle session ${idle}`);
  });
});
