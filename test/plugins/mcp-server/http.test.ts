import { randomUUID } from 'node:crypto';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error a plain JavaScript fixture
import { createKitchenServer } from '../../fixtures/mcp-servers/kitchen.mjs';
import { hostStatus } from '../../helpers/host-status.js';
import { jsonOf, recordNotifications, textOf } from '../../helpers/proto-fixture.js';
import { pollUntil } from '../../helpers/reload-wait.js';
import { spawnHost, writeConfig, type HostUnderTest } from '../../helpers/spawn-host.js';

/** The kitchen server over Streamable HTTP (stateful sessions), behind a bearer token. */
function startHttpKitchen(
  token: string,
  port = 0,
  sessions = new Map<string, StreamableHTTPServerTransport>(),
): Promise<{ server: HttpServer; url: string; sessions: Map<string, StreamableHTTPServerTransport> }> {
  const server = createServer(async (req, res) => {
    if (req.headers.authorization !== `Bearer ${token}`) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"unauthorized"}');
      return;
    }
    const id = req.headers['mcp-session-id'];
    let transport = typeof id === 'string' ? sessions.get(id) : undefined;
    if (!transport) {
      if (typeof id === 'string') {
        res.writeHead(404).end();
        return;
      }
      const created: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (sessionId) => void sessions.set(sessionId, created),
      });
      created.onclose = () => void (created.sessionId && sessions.delete(created.sessionId));
      await createKitchenServer({ label: 'http' }).connect(created);
      transport = created;
    }
    await transport.handleRequest(req, res);
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`, sessions })));
}

describe('mcp-server mounts a Streamable HTTP server', () => {
  let host: HostUnderTest;
  let kitchen: Awaited<ReturnType<typeof startHttpKitchen>>;

  beforeAll(async () => {
    kitchen = await startHttpKitchen('t0ken');
    const configPath = writeConfig({
      watch: false,
      plugins: {
        remote: { plugin: 'mcp-server', config: { url: kitchen.url, headers: { Authorization: 'Bearer ${KITCHEN_TOKEN}' }, catalogWaitMs: 20_000 } },
        refused: { plugin: 'mcp-server', config: { url: kitchen.url, headers: { Authorization: 'Bearer wrong' }, reconnectMinMs: 60_000 } },
      },
    });
    host = await spawnHost({ configPath, env: { KITCHEN_TOKEN: 't0ken' } });
  });
  afterAll(async () => {
    await host?.close();
    kitchen?.server.closeAllConnections();
    kitchen?.server.close();
  });

  it('calls tools with the configured headers, passing structured content and readable resource links', async () => {
    expect(jsonOf(await host.client.callTool({ name: 'remote__pid', arguments: {} }))).toMatchObject({ label: 'http' });
    expect(jsonOf(await host.client.callTool({ name: 'remote__headers', arguments: {} }))).toMatchObject({ authorization: 'Bearer t0ken' });
    const weather = await host.client.callTool({ name: 'remote__weather', arguments: { city: 'Bergen' } });
    expect(weather.structuredContent).toEqual({ city: 'Bergen', celsius: 21 });
    const link = (weather.content as { type: string; uri?: string }[]).find((c) => c.type === 'resource_link')!.uri!;
    expect(link).toBe('file://remote//kitchen/menu.txt');
    expect((await host.client.readResource({ uri: link })).contents[0]).toMatchObject({ text: 'stew, soup, salad' });
  });

  it('follows the server\'s list_changed over its event stream', async () => {
    const changes = recordNotifications(host.client, ToolListChangedNotificationSchema);
    await host.client.listTools();
    expect(textOf(await host.client.callTool({ name: 'remote__add_tool', arguments: { name: 'remote_extra' } }))).toBe('added remote_extra');
    await changes.next(1);
    const names = await pollUntil('the new tool', async () => (await host.client.listTools()).tools.map((t) => t.name), (n) => n.includes('remote__remote_extra'));
    expect(names).toContain('remote__remote_extra');
  });

  it('reports a server that refuses the headers, and never lists its tools', async () => {
    const status = await pollUntil('the refusal', () => hostStatus(host.client), (s) => s.byId('refused').warnings.length > 0);
    expect(status.byId('refused').warnings[0]).toMatch(/^not connected: cannot connect to http:\/\/127\.0\.0\.1:\d+\/mcp: HTTP 401: /);
    expect((await host.client.listTools()).tools.some((t) => t.name.startsWith('refused__'))).toBe(false);
  });

  it('answers a clear isError while the server is down, and reconnects (a new session) once it is back', async () => {
    const port = Number(new URL(kitchen.url).port);
    kitchen.server.closeAllConnections();
    await new Promise((resolve) => kitchen.server.close(resolve));
    kitchen.sessions.clear();
    const down = await host.client.callTool({ name: 'remote__pid', arguments: {} });
    expect(down.isError).toBe(true);
    expect(textOf(down)).toMatch(/^MCP server "remote"/);
    kitchen = await startHttpKitchen('t0ken', port, kitchen.sessions);
    const back = await pollUntil('the reconnection', () => host.client.callTool({ name: 'remote__pid', arguments: {} }), (r) => !r.isError);
    expect(jsonOf(back)).toMatchObject({ label: 'http' });
  });

  it('ends its session at the server when the host stops', async () => {
    expect(kitchen.sessions.size).toBe(1);
    await host.close();
    expect(await pollUntil('the session to end', async () => kitchen.sessions.size, (n) => n === 0)).toBe(0);
  });
});
