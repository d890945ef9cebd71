import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeBinaries } from '../helpers/node-binaries.js';
import { protoConfig } from '../helpers/proto-fixture.js';
import { spawnRawLines, type RawLines } from '../helpers/raw-lines.js';

const rpc = (message: object) => JSON.stringify({ jsonrpc: '2.0', ...message });

// Each malformed line is answered with exactly one JSON-RPC error; the daemon then serves normally.
describe.each(nodeBinaries())('malformed input on the raw wire ($label)', ({ path: node }) => {
  let wire: RawLines;
  beforeAll(() => {
    wire = spawnRawLines({ configPath: protoConfig(['proto']), node });
  });
  afterAll(() => wire?.close());

  it('answers a line that is not JSON with a parse error (-32700, id null)', async () => {
    expect(await wire.exchange('this is { not json', null)).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32700 } });
  });

  it.each([
    ['an array', '[1, 2, 3]', null],
    ['a number', '42', null],
    ['an object without jsonrpc', '{"id": 9, "method": "tools/list"}', 9],
    ['a request with a non-string method', rpc({ id: 10, method: 7 }), 10],
    ['a request with an object id', rpc({ id: { x: 1 }, method: 'tools/list' }), null],
    ['a request with a member JSON-RPC does not define', rpc({ id: 13, method: 'tools/list', colour: 'red' }), 13],
  ])('answers JSON that is not a JSON-RPC message (%s) with invalid request (-32600)', async (_label, line, id) => {
    expect(await wire.exchange(line, id)).toMatchObject({ jsonrpc: '2.0', id, error: { code: -32600 } });
  });

  it('then answers initialize', async () => {
    const answer = await wire.exchange(
      rpc({ id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } }),
      1,
    );
    expect(answer).toMatchObject({ jsonrpc: '2.0', id: 1, result: { serverInfo: { name: 'mcp-host' } } });
    wire.write(rpc({ method: 'notifications/initialized' }));
  });

  it.each([
    ['params that are a string', rpc({ id: 2, method: 'tools/list', params: 'oops' }), 2],
    ['params that are an array', rpc({ id: 3, method: 'tools/list', params: [1] }), 3],
    ['a tool name that is a number', rpc({ id: 4, method: 'tools/call', params: { name: 42 } }), 4],
    ['tool arguments that are a string', rpc({ id: 5, method: 'tools/call', params: { name: 'proto__echo', arguments: 'x' } }), 5],
    ['tool arguments that are an array', rpc({ id: 15, method: 'tools/call', params: { name: 'proto__echo', arguments: ['x'] } }), 15],
    ['a progress token that is an object', rpc({ id: 16, method: 'tools/call', params: { name: 'proto__echo', arguments: { text: 'x' }, _meta: { progressToken: {} } } }), 16],
    ['a resource URI that is an array', rpc({ id: 6, method: 'resources/read', params: { uri: ['x'] } }), 6],
    ['a prompt without a name', rpc({ id: 7, method: 'prompts/get', params: {} }), 7],
    ['a _meta that is a string', rpc({ id: 14, method: 'tools/list', params: { _meta: 'x' } }), 14],
  ])('answers a request with %s with invalid params (-32602)', async (_label, line, id) => {
    expect(await wire.exchange(line, id)).toMatchObject({ jsonrpc: '2.0', id, error: { code: -32602 } });
  });

  it('answers an unknown method with method not found (-32601)', async () => {
    expect(await wire.exchange(rpc({ id: 8, method: 'kitchen/nope' }), 8)).toMatchObject({ id: 8, error: { code: -32601 } });
  });

  it('still serves tools/list and tools/call afterwards', async () => {
    const list = await wire.exchange(rpc({ id: 11, method: 'tools/list' }), 11);
    expect(list.id).toBe(11);
    expect(list.result.tools.map((t: { name: string }) => t.name)).toContain('proto__echo');
    const call = await wire.exchange(rpc({ id: 12, method: 'tools/call', params: { name: 'proto__echo', arguments: { text: 'ok' } } }), 12);
    expect(call).toEqual({ jsonrpc: '2.0', id: 12, result: { content: [{ type: 'text', text: 'ok' }] } });
  });

  it('wrote only JSON-RPC to stdout: one message per line', () => {
    expect(wire.lines.length).toBeGreaterThan(10);
    for (const line of wire.lines) {
      const message = JSON.parse(line);
      expect(message.jsonrpc).toBe('2.0');
    }
  });
});
