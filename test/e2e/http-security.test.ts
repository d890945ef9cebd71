import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { daemonEntry } from '../helpers/paths.js';
import { writeConfig } from '../helpers/spawn-host.js';
import { connectHttp, INITIALIZE, MCP_HEADERS, rawPost, spawnHttpHost, type HttpHost } from '../helpers/spawn-http-host.js';

const TOKEN = 'test-token-7f3a9c';

describe('serve --http: bearer token', () => {
  let host: HttpHost;

  beforeAll(async () => {
    host = await spawnHttpHost({ configPath: writeConfig({ plugins: { hello: {} } }), env: { MCP_HOST_TOKEN: TOKEN } });
  });
  afterAll(async () => {
    await host?.stop();
  });

  test('no token or a wrong one gets 401 with WWW-Authenticate and a JSON-RPC error; no session is opened', async () => {
    for (const headers of [MCP_HEADERS, { ...MCP_HEADERS, authorization: 'Bearer wrong' }, { ...MCP_HEADERS, authorization: `Basic ${TOKEN}` }]) {
      const res = await fetch(host.url, { method: 'POST', headers, body: INITIALIZE });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(res.headers.get('mcp-session-id')).toBeNull();
      const body = await res.json();
      expect(body.jsonrpc).toBe('2.0');
      expect(body.error.message).toMatch(/unauthorized/i);
    }
    await expect(connectHttp(host.url)).rejects.toThrow();
  });

  test('the right token opens a session and serves calls', async () => {
    const { client, transport } = await connectHttp(host.url, { token: TOKEN });
    expect(transport.sessionId).toBeTruthy();
    const result = await client.callTool({ name: 'hello__greet', arguments: { name: 'Ada' } });
    expect(JSON.stringify(result.content)).toContain('Ada');
    await client.close();
  });

  test('health endpoints need no token (probes carry none)', async () => {
    expect((await fetch(`${host.base}/healthz`)).status).toBe(200);
  });
});

describe('serve --http: binding beyond loopback', () => {
  test('without a token the daemon refuses to start: exit 1 and a clear message', () => {
    const run = spawnSync(process.execPath, [daemonEntry, 'serve', '--http', '0.0.0.0:0', '--config', writeConfig({ plugins: {} })], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/refusing to listen on 0\.0\.0\.0.*token is required.*MCP_HOST_TOKEN/s);
    expect(run.stderr).not.toMatch(/listening on/);
    expect(run.stdout).toBe('');
  });

  test('with a token from the config it listens, and requires the token', async () => {
    const configPath = writeConfig({ http: { token: TOKEN }, plugins: { hello: {} } });
    const host = await spawnHttpHost({ configPath, listen: '0.0.0.0:0' });
    try {
      expect(host.stderr()).toMatch(/bearer token required/);
      expect((await fetch(host.url, { method: 'POST', headers: MCP_HEADERS, body: INITIALIZE })).status).toBe(401);
      const { client } = await connectHttp(host.url, { token: TOKEN });
      expect((await client.listTools()).tools.length).toBeGreaterThan(0);
      await client.close();
    } finally {
      await host.stop();
    }
  });

  test('a malformed --http value is a usage error (exit 2)', () => {
    const run = spawnSync(process.execPath, [daemonEntry, 'serve', '--http', 'not-a-port', '--config', writeConfig({ plugins: {} })], { encoding: 'utf8', timeout: 15_000 });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/--http expects \[HOST:\]PORT/);
  });
});

describe('serve --http: Host/Origin, body size and rate limits', () => {
  let host: HttpHost;
  const MAX = 8;

  beforeAll(async () => {
    const configPath = writeConfig({
      http: { maxBodyBytes: 2048, rateLimit: { windowMs: 600_000, max: MAX }, allowedOrigins: ['https://app.example.com'] },
      plugins: { hello: {} },
    });
    host = await spawnHttpHost({ configPath });
  });
  afterAll(async () => {
    await host?.stop();
  });

  // These run first in file order and use few requests; the rate-limit test spends the rest of the budget.
  test('a foreign Host (DNS rebinding) or Origin gets 403 and opens no session; configured and loopback origins pass', async () => {
    const evilHost = await rawPost(host.url, { ...MCP_HEADERS, host: `evil.example.com:${host.port}` }, INITIALIZE);
    expect(evilHost.status).toBe(403);
    expect(evilHost.headers['mcp-session-id']).toBeUndefined();
    expect(JSON.parse(evilHost.body).error.message).toMatch(/host/i);
    const evilOrigin = await fetch(host.url, { method: 'POST', headers: { ...MCP_HEADERS, origin: 'http://evil.example.com' }, body: INITIALIZE });
    expect(evilOrigin.status).toBe(403);
    expect((await evilOrigin.json()).error.message).toMatch(/origin/i);
    const configured = await fetch(host.url, { method: 'POST', headers: { ...MCP_HEADERS, origin: 'https://app.example.com' }, body: INITIALIZE });
    expect(configured.status).toBe(200);
    expect(configured.headers.get('mcp-session-id')).toBeTruthy();
    const loopback = await fetch(host.url, { method: 'POST', headers: { ...MCP_HEADERS, origin: `http://localhost:${host.port}` }, body: INITIALIZE });
    expect(loopback.status).toBe(200);
  });

  test('a body over maxBodyBytes gets 413 with a JSON-RPC error, and the daemon keeps serving', async () => {
    const big = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { pad: 'x'.repeat(4096) } });
    const res = await fetch(host.url, { method: 'POST', headers: MCP_HEADERS, body: big });
    expect(res.status).toBe(413);
    const body = await res.json();
    expect(body.jsonrpc).toBe('2.0');
    expect(body.error.message).toMatch(/larger than 2048 bytes/);
    expect((await fetch(`${host.base}/healthz`)).status).toBe(200);
  });

  test('past the per-client limit requests get 429 with Retry-After; health endpoints are not limited', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < MAX + 2; i++) {
      const res = await fetch(host.url, { method: 'POST', headers: MCP_HEADERS, body: INITIALIZE });
      statuses.push(res.status);
      if (res.status === 429) {
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
        expect((await res.json()).error.message).toMatch(/too many requests/i);
      } else await res.body?.cancel();
    }
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(2);
    expect((await fetch(`${host.base}/healthz`)).status).toBe(200);
  });
});
