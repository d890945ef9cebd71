import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MULTIBYTE, PAD } from '../../fixtures/mcp-servers/hand-written.mjs';
import { writeConfig } from '../../helpers/spawn-host.js';
import { INITIALIZE, MCP_HEADERS, spawnHttpHost, type HttpHost } from '../../helpers/spawn-http-host.js';
import { spawnRawLines, type RawLines } from '../../helpers/raw-lines.js';
import { nodeServer } from './harness.js';

// The host sends a large result on as the server's bytes when it can (no decoding, checking and encoding it again
// on the way out): only when those bytes mean exactly what the host checked. These read the host's output verbatim.

const config = () => writeConfig({ watch: false, plugins: { hand: nodeServer('hand-written.mjs', { catalogWaitMs: 20_000 }) } });
/** The host's member for the `multibyte` result, its value in the server's spacing (re-serializing drops the spaces). */
const MULTIBYTE_RESULT = `"result":{ "content": [ { "type": "text", "text": ${JSON.stringify(MULTIBYTE)} } ] }`;

describe('mcp-server sends on results written by hand (stdio)', () => {
  let wire: RawLines;
  beforeAll(async () => {
    wire = spawnRawLines({ configPath: config() });
    const init = { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } };
    await wire.exchange(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: init }), 1);
    wire.write(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
  });
  afterAll(() => wire?.close());

  const callLine = async (id: number, name: string) => {
    await wire.exchange(JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: `hand__${name}`, arguments: {} } }), id);
    return wire.lines.find((line) => JSON.parse(line).id === id)!;
  };

  it('never passes on a value the host did not check: a duplicate key goes out as the one JSON.parse kept, alone', async () => {
    const line = await callLine(2, 'duplicate');
    expect(line).toContain('"checked"');
    expect(line).not.toContain('unchecked');
    const escaped = await callLine(3, 'escaped');
    expect(escaped).not.toContain('first');
    expect(escaped).not.toContain('\\u0063');
  });

  it('passes a plain result through with the text as the server wrote it', async () => {
    const line = await callLine(4, 'spaced');
    expect(JSON.parse(line)).toEqual({ jsonrpc: '2.0', id: 4, result: { content: [{ type: 'text', text: 'spaced "out" {}' }, PAD] } });
    // The server's own spacing survives: the host did not serialize the result again.
    expect(line).toContain(`"result":{ "content": [ { "type": "text", "text": "spaced \\"out\\" {}" }, ${JSON.stringify(PAD)} ] }`);
  });

  it('passes ~360 KB of multibyte text through as the server wrote it, characters split between reads intact', async () => {
    const line = await callLine(5, 'multibyte');
    expect(JSON.parse(line)).toEqual({ jsonrpc: '2.0', id: 5, result: { content: [{ type: 'text', text: MULTIBYTE }] } });
    expect(line).toContain(MULTIBYTE_RESULT);
    expect(line).not.toContain('\uFFFD');
  });

  it('re-serializes a result whose bytes are not UTF-8: the client gets valid JSON with the replacement character', async () => {
    const line = await callLine(6, 'invalid_utf8');
    expect(JSON.parse(line).result.content[0].text).toBe('bad \uFFFD( byte');
    expect(line).toContain('"result":{"content":[{"type":"text","text":"bad \uFFFD( byte"}');
  });

  it('re-serializes a result with a carriage return between its tokens', async () => {
    const line = await callLine(7, 'carriage');
    expect(line).not.toContain('\r');
    expect(JSON.parse(line).result).toEqual({ content: [PAD] });
  });
});

describe('mcp-server sends on results written by hand (serve --http)', () => {
  let host: HttpHost;
  let session: string;
  const post = (body: string) =>
    fetch(host.url, { method: 'POST', headers: { ...MCP_HEADERS, 'mcp-session-id': session, 'mcp-protocol-version': '2025-06-18' }, body });
  const call = (id: number, name: string, meta?: Record<string, unknown>) =>
    JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: `hand__${name}`, arguments: {}, ...(meta ? { _meta: meta } : {}) } });

  beforeAll(async () => {
    host = await spawnHttpHost({ configPath: config() });
    const res = await fetch(host.url, { method: 'POST', headers: MCP_HEADERS, body: INITIALIZE });
    session = res.headers.get('mcp-session-id')!;
    await res.text();
    await post(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
  });
  afterAll(() => host?.stop());

  it('answers with one JSON body holding the server\'s bytes, its length right', async () => {
    const res = await post(call(2, 'multibyte'));
    expect(res.headers.get('content-type')).toBe('application/json');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(Number(res.headers.get('content-length'))).toBe(bytes.length);
    const body = bytes.toString('utf8');
    expect(JSON.parse(body)).toEqual({ jsonrpc: '2.0', id: 2, result: { content: [{ type: 'text', text: MULTIBYTE }] } });
    expect(body).toContain(MULTIBYTE_RESULT);
  });

  it('after progress, sends the server\'s bytes as the last server-sent event of the stream', async () => {
    const res = await post(call(3, 'progress_multibyte', { progressToken: 'p-3' }));
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const text = await res.text();
    const events = text.split('\n\n').filter(Boolean);
    expect(events).toHaveLength(2);
    const messages = events.map((event) => JSON.parse(event.split('\n').find((line) => line.startsWith('data: '))!.slice(6)));
    expect(messages[0]).toMatchObject({ method: 'notifications/progress', params: { progressToken: 'p-3', progress: 1 } });
    expect(messages[1]).toEqual({ jsonrpc: '2.0', id: 3, result: { content: [{ type: 'text', text: MULTIBYTE }] } });
    expect(events[1]).toContain(MULTIBYTE_RESULT);
  });

  it('re-serializes a result with a carriage return between its tokens, so no event ends early', async () => {
    const res = await post(call(4, 'carriage'));
    const body = await res.text();
    expect(body).not.toContain('\r');
    expect(JSON.parse(body).result).toEqual({ content: [PAD] });
  });
});
