import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fixturePluginsDir } from '../helpers/host-status.js';
import { writeConfig } from '../helpers/spawn-host.js';
import { connectHttp, INITIALIZE, MCP_HEADERS, spawnHttpHost, type HttpHost } from '../helpers/spawn-http-host.js';

// The fast path (core/server/http/session-transport.ts) serves a plain POST without the SDK transport: these tests
// check it answers as the SDK would (or better, where said), and that everything unusual still gets the SDK's answer.

const VERSION = { 'mcp-protocol-version': '2025-06-18' };
const config = () => writeConfig({ pluginDirs: [fixturePluginsDir], plugins: { hello: {}, proto: { plugin: 'proto-kitchen', isolation: 'in-process' } } });
const call = (id: number | string, name: string, args: Record<string, unknown> = {}, meta?: Record<string, unknown>) =>
  JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args, ...(meta ? { _meta: meta } : {}) } });

/** The JSON-RPC messages of an SSE body, in order. */
function sseMessages(body: string): any[] {
  return body
    .split('\n')
    .filter((line) => line.startsWith('data: '))
    .map((line) => JSON.parse(line.slice(6)));
}

const resultText = (message: any) => (message.result.content as { text: string }[]).map((c) => c.text).join('\n');

/** Reads a streamed body until `until` shows up in it (or it ends); `rest()` reads on to the end. */
async function readUntil(res: Response, until: string): Promise<{ seen: string; rest(): Promise<string> }> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let seen = '';
  const more = async () => {
    const { value, done } = await reader.read();
    if (!done) seen += decoder.decode(value, { stream: true });
    return !done;
  };
  while (!seen.includes(until) && (await more()));
  return {
    seen,
    rest: async () => {
      while (await more());
      return seen;
    },
  };
}

async function waitFor<T>(probe: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  let value = await probe();
  for (let i = 0; i < 100 && !ok(value); i++) {
    await new Promise((r) => setTimeout(r, 50));
    value = await probe();
  }
  return value;
}

describe('serve --http: the fast path for plain requests (sessions)', () => {
  let host: HttpHost;
  let session: string;
  const post = (body: string, headers: Record<string, string> = {}, init: RequestInit = {}) =>
    fetch(host.url, { method: 'POST', headers: { ...MCP_HEADERS, 'mcp-session-id': session, ...VERSION, ...headers }, body, ...init });
  const lastAbort = async () => JSON.parse(resultText(await (await post(call(900, 'proto__last_abort'))).json()));

  beforeAll(async () => {
    host = await spawnHttpHost({ configPath: config(), args: ['--no-watch'] });
    const res = await fetch(host.url, { method: 'POST', headers: MCP_HEADERS, body: INITIALIZE });
    session = res.headers.get('mcp-session-id')!;
    await res.text();
  });
  afterAll(async () => {
    await host?.stop();
  });

  test('a plain tools/call is answered with one JSON body carrying the session id, the client id kept', async () => {
    const res = await post(call('call-1', 'hello__greet', { name: 'Ada' }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('mcp-session-id')).toBe(session);
    const body = await res.json();
    expect(body.id).toBe('call-1');
    expect(resultText(body)).toContain('Ada');
  });

  test('a notification gets 202 with an empty body', async () => {
    const res = await post(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
    expect(res.status).toBe(202);
    expect(await res.text()).toBe('');
    // The session still serves.
    expect((await post(call(2, 'hello__greet', { name: 'B' }))).status).toBe(200);
  });

  test('progress turns the answer into an SSE stream: every progress event, then the response, then the end', async () => {
    const res = await post(call(3, 'proto__progress', { steps: 3 }, { progressToken: 'tok-3' }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    expect(res.headers.get('mcp-session-id')).toBe(session);
    const messages = sseMessages(await res.text());
    expect(messages.map((m) => m.method ?? `response ${m.id}`)).toEqual([
      'notifications/progress',
      'notifications/progress',
      'notifications/progress',
      'response 3',
    ]);
    expect(messages.slice(0, 3).map((m) => [m.params.progressToken, m.params.progress, m.params.total])).toEqual([
      ['tok-3', 1, 3],
      ['tok-3', 2, 3],
      ['tok-3', 3, 3],
    ]);
    expect(resultText(messages[3])).toBe('done 3');
  });

  test('logging/setLevel on the fast path holds for the session: a later call streams only the logs at that level', async () => {
    const set = await post(JSON.stringify({ jsonrpc: '2.0', id: 4, method: 'logging/setLevel', params: { level: 'info' } }));
    expect(await set.json()).toEqual({ jsonrpc: '2.0', id: 4, result: {} });
    const res = await post(call(5, 'proto__log'));
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const messages = sseMessages(await res.text());
    expect(messages.filter((m) => m.method === 'notifications/message').map((m) => m.params.level)).toEqual(['info']);
    expect(resultText(messages.at(-1))).toBe('logged');
  });

  test('elicitation from a fast-path call reaches the SDK client and its answer comes back', async () => {
    const { client } = await connectHttp(host.url, { capabilities: { elicitation: {} } });
    client.setRequestHandler(ElicitRequestSchema, async () => ({ action: 'accept', content: { dish: 'stew' } }));
    const result = await client.callTool({ name: 'proto__ask', arguments: {} });
    expect(JSON.stringify(result.content)).toContain('stew');
    await client.close();
  });

  test('a malformed message gets the SDK answer: 400 with a JSON-RPC parse error; bad JSON too', async () => {
    for (const body of [JSON.stringify({ jsonrpc: '2.0', id: 6 }), JSON.stringify({ jsonrpc: '1.0', id: 6, method: 'tools/list' }), JSON.stringify({ jsonrpc: '2.0', id: 6, method: 'tools/list', extra: 1 })]) {
      const res = await post(body);
      expect(res.status).toBe(400);
      const error = await res.json();
      expect(error).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32700 } });
    }
    const bad = await post('{"jsonrpc": "2.0", "id": 7, "method": ');
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe(-32700);
    expect((await post(call(8, 'hello__greet', { name: 'C' }))).status).toBe(200);
  });

  test('refusals keep the SDK status and message: Accept 406, Content-Type 415, protocol version 400, unknown session 404', async () => {
    const accept = await post(call(9, 'hello__greet', { name: 'D' }), { accept: 'application/json' });
    expect(accept.status).toBe(406);
    expect((await accept.json()).error).toMatchObject({ code: -32000, message: expect.stringMatching(/Not Acceptable/) });
    const type = await post(call(10, 'hello__greet', { name: 'D' }), { 'content-type': 'text/plain' });
    expect(type.status).toBe(415);
    expect((await type.json()).error.message).toMatch(/Unsupported Media Type/);
    const version = await post(call(11, 'hello__greet', { name: 'D' }), { 'mcp-protocol-version': '1999-01-01' });
    expect(version.status).toBe(400);
    expect((await version.json()).error.message).toMatch(/Unsupported protocol version: 1999-01-01/);
    const unknown = await post(call(12, 'hello__greet', { name: 'D' }), { 'mcp-session-id': 'no-such-session' });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ jsonrpc: '2.0', id: null, error: { message: expect.stringMatching(/session not found/i) } });
  });

  test('a second initialize on a session, and a batch, still go through the SDK transport', async () => {
    const again = await post(INITIALIZE);
    expect(again.status).toBe(400);
    expect((await again.json()).error.message).toMatch(/already initialized/i);
    const batch = await post(JSON.stringify([JSON.parse(call(13, 'hello__greet', { name: 'E' })), JSON.parse(call(14, 'hello__greet', { name: 'F' }))]));
    expect(batch.status).toBe(200);
    expect(batch.headers.get('content-type')).toBe('text/event-stream');
    const messages = sseMessages(await batch.text());
    expect(messages.map((m) => m.id).sort()).toEqual([13, 14]);
  });

  test('a client that cancels gets its stream ended; the handler sees the abort and the session keeps serving', async () => {
    const res = await post(call(15, 'proto__wait_abort', {}, { progressToken: 15 }));
    const stream = await readUntil(res, 'waiting for abort');
    expect(stream.seen).toContain('notifications/progress');
    const cancel = await post(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 15, reason: 'changed my mind' } }));
    expect(cancel.status).toBe(202);
    // The stream ends without a response (the Protocol sends none for a cancelled request).
    const messages = sseMessages(await stream.rest());
    expect(messages.map((m) => m.method ?? m.id)).toEqual(['notifications/progress']);
    const seen = await waitFor(lastAbort, (v) => v?.aborted !== undefined && !v.waiting);
    expect(seen).toMatchObject({ aborted: true, signalAborted: true, reason: 'changed my mind' });
  });

  test('a client that disconnects is not cancelled (as with the SDK); the late response is dropped and the session serves on', async () => {
    const controller = new AbortController();
    const res = await post(call(16, 'proto__wait_abort', {}, { progressToken: 16 }), {}, { signal: controller.signal });
    await readUntil(res, 'waiting for abort');
    controller.abort();
    await new Promise((r) => setTimeout(r, 200));
    expect(await lastAbort()).toMatchObject({ waiting: true });
    // The client may still cancel it: the handler then ends, and its response goes nowhere.
    await post(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 16, reason: 'gone' } }));
    const seen = await waitFor(lastAbort, (v) => !v?.waiting);
    expect(seen).toMatchObject({ aborted: true, reason: 'gone' });
    const next = await post(call(17, 'hello__greet', { name: 'G' }));
    expect(resultText(await next.json())).toContain('G');
    expect(host.proc.exitCode).toBeNull();
  });

  test('a session ended (DELETE) while a fast-path call waits answers that call with a JSON-RPC error', async () => {
    const res = await fetch(host.url, { method: 'POST', headers: MCP_HEADERS, body: INITIALIZE });
    const other = res.headers.get('mcp-session-id')!;
    await res.text();
    const held = fetch(host.url, { method: 'POST', headers: { ...MCP_HEADERS, ...VERSION, 'mcp-session-id': other }, body: call(18, 'proto__progress', { steps: 1, hold: true }) });
    // The call is in its handler once the plugin holds it: release_progress would now release it.
    await new Promise((r) => setTimeout(r, 300));
    const del = await fetch(host.url, { method: 'DELETE', headers: { ...VERSION, 'mcp-session-id': other } });
    expect(del.status).toBe(200);
    const answer = await held;
    const text = await answer.text();
    const messages = answer.headers.get('content-type') === 'text/event-stream' ? sseMessages(text) : [JSON.parse(text)];
    expect(messages.at(-1)).toMatchObject({ jsonrpc: '2.0', id: 18, error: { code: -32000, message: 'Connection closed' } });
    // Let the held handler finish (the plugin's state is shared by every session).
    await post(call(19, 'proto__release_progress'));
  });
});

describe('serve --http --stateless: the fast path on one shared frontend', () => {
  let host: HttpHost;
  const post = (body: string, init: RequestInit = {}) => fetch(host.url, { method: 'POST', headers: { ...MCP_HEADERS, ...VERSION }, body, ...init });
  const lastAbort = async () => JSON.parse(resultText(await (await post(call(900, 'proto__last_abort'))).json()));
  const hookCalls = async () => JSON.parse(resultText(await (await post(call(901, 'proto__hook_calls'))).json())) as [string, string][];

  beforeAll(async () => {
    host = await spawnHttpHost({ configPath: config(), args: ['--no-watch', '--stateless'] });
  });
  afterAll(async () => {
    await host?.stop();
  });

  test('a plain call is answered as JSON without a session id; progress still streams', async () => {
    const res = await post(call(1, 'hello__greet', { name: 'Ada' }));
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('mcp-session-id')).toBeNull();
    expect(await res.json()).toMatchObject({ jsonrpc: '2.0', id: 1 });
    const streamed = await post(call(2, 'proto__progress', { steps: 2 }, { progressToken: 'p' }));
    expect(streamed.headers.get('content-type')).toBe('text/event-stream');
    expect(sseMessages(await streamed.text()).map((m) => m.method ?? m.id)).toEqual(['notifications/progress', 'notifications/progress', 2]);
  });

  test('two clients using the same request id at the same time each get their own answer', async () => {
    const held = post(call(1, 'proto__progress', { steps: 1, hold: true }));
    await new Promise((r) => setTimeout(r, 300));
    const quick = await post(call(1, 'hello__greet', { name: 'Quick' }));
    const quickBody = await quick.json();
    expect(quickBody.id).toBe(1);
    expect(resultText(quickBody)).toContain('Quick');
    expect(resultText(await (await post(call(1, 'proto__release_progress'))).json())).toBe('released');
    const slow = await held;
    const messages = slow.headers.get('content-type') === 'text/event-stream' ? sseMessages(await slow.text()) : [await slow.json()];
    expect(messages.at(-1).id).toBe(1);
    expect(resultText(messages.at(-1))).toBe('done 1');
  });

  test('a client that disconnects cancels its call, as the per-request transport did', async () => {
    const controller = new AbortController();
    const res = await post(call(3, 'proto__wait_abort', {}, { progressToken: 3 }), { signal: controller.signal });
    await readUntil(res, 'waiting for abort');
    controller.abort();
    const seen = await waitFor(lastAbort, (v) => !v?.waiting);
    expect(seen).toMatchObject({ aborted: true, reason: 'The client disconnected' });
  });

  test('no client state is kept: a log level set by one request does not filter the next one', async () => {
    const set = await post(JSON.stringify({ jsonrpc: '2.0', id: 4, method: 'logging/setLevel', params: { level: 'error' } }));
    expect(set.status).toBe(200);
    await set.text();
    const res = await post(call(5, 'proto__log'));
    const levels = sseMessages(await res.text())
      .filter((m) => m.method === 'notifications/message')
      .map((m) => m.params.level);
    expect(levels).toEqual(['debug', 'info']);
  });

  test('resources/subscribe still gets a throwaway frontend: the plugin hook is released when the request ends', async () => {
    const res = await post(JSON.stringify({ jsonrpc: '2.0', id: 6, method: 'resources/subscribe', params: { uri: 'kitchen://proto/dish/pie' } }));
    expect(res.status).toBe(200);
    await res.text();
    const calls = await waitFor(hookCalls, (c) => c.filter(([, uri]) => uri === 'kitchen://dish/pie').length >= 2);
    expect(calls.filter(([, uri]) => uri === 'kitchen://dish/pie').map(([kind]) => kind)).toEqual(['subscribe', 'unsubscribe']);
  });

  test('a malformed message and a bad Accept get the SDK answers', async () => {
    const malformed = await post(JSON.stringify({ jsonrpc: '2.0', id: 7, method: 7 }));
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).error.code).toBe(-32700);
    const accept = await fetch(host.url, { method: 'POST', headers: { ...MCP_HEADERS, accept: 'text/event-stream' }, body: call(8, 'hello__greet', { name: 'X' }) });
    expect(accept.status).toBe(406);
    expect((await accept.json()).error.code).toBe(-32000);
  });
});
