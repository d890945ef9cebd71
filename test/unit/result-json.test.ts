import { describe, expect, it } from 'vitest';
import { resultJson as resultBytes } from '../../plugins/mcp-server/result-json.js';

/** The result's text as the scanner cuts it out of the line's bytes (undefined when it gives none). */
const resultJson = (line: string | Buffer) => resultBytes(typeof line === 'string' ? Buffer.from(line) : line)?.toString('utf8');

const sdkLine = (result: unknown, id: unknown = 'mcp-host:1') => JSON.stringify({ result, jsonrpc: '2.0', id });

describe('resultJson: the bytes of a response line\'s result, only when they mean what the parsed result means', () => {
  it('cuts the result out of the SDK\'s line (result first) and of a line with the result last, spaced', () => {
    const result = { content: [{ type: 'text', text: 'line 1\nline 2 "quoted" {not: a brace} [nor this] \\ end' }], structuredContent: { n: 1.5, ok: true, none: null } };
    const line = sdkLine(result);
    expect(resultJson(line)).toBe(JSON.stringify(result));
    const spaced = `{ "jsonrpc" : "2.0", "id" : 7 , "result" :\t${JSON.stringify(result, null, 2)} }`;
    expect(JSON.parse(resultJson(spaced)!)).toEqual(result);
  });

  it('gives the exact text for strings ending in escaped backslashes and quotes', () => {
    const result = { content: [{ type: 'text', text: 'a\\' }, { type: 'text', text: '\\"}' }, { type: 'text', text: '"' }] };
    expect(resultJson(sdkLine(result))).toBe(JSON.stringify(result));
  });

  it('round-trips random results exactly (parse of the text equals parse of the line)', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pieces = ['{', '}', '[', ']', '"', '\\', ',', ':', 'x', ' ', '\n', 'é', '😀'];
    const text = () => Array.from({ length: Math.floor(random() * 12) }, () => pieces[Math.floor(random() * pieces.length)]).join('');
    const value = (depth: number): unknown => {
      const kind = Math.floor(random() * (depth > 3 ? 3 : 5));
      if (kind === 0) return text();
      if (kind === 1) return Math.floor(random() * 1000) / 7;
      if (kind === 2) return random() < 0.5 ? null : true;
      if (kind === 3) return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1));
      // Keys without characters JSON escapes (an escaped key is refused on purpose, see below).
      return Object.fromEntries(Array.from({ length: Math.floor(random() * 4) }, (_, i) => [`${text().replace(/["\\\n]/g, '')}${i}`, value(depth + 1)]));
    };
    for (let i = 0; i < 500; i++) {
      const result = { content: [{ type: 'text', text: text() }], structuredContent: value(0) };
      const line = sdkLine(result, i);
      const json = resultJson(line);
      expect(json).toBeDefined();
      expect(JSON.parse(json!)).toEqual(JSON.parse(line).result);
    }
  });

  it.each([
    ['a result key twice at the top', '{"result":{"content":[]},"result":{"content":[]},"jsonrpc":"2.0","id":1}'],
    ['a key twice inside the result', '{"result":{"content":[{"type":"image","type":"text","text":"x"}]},"jsonrpc":"2.0","id":1}'],
    ['a key twice in the result itself', '{"result":{"content":[{"type":"text","text":"evil"}],"content":[{"type":"text","text":"good"}]},"jsonrpc":"2.0","id":1}'],
    ['a key written with an escape', '{"result":{"content":[],"\\u0063ontent":[]},"jsonrpc":"2.0","id":1}'],
    ['a result that is not an object', '{"result":[1,2],"jsonrpc":"2.0","id":1}'],
    ['a result that is a string', '{"result":"{}","jsonrpc":"2.0","id":1}'],
    ['no result', '{"error":{"code":1,"message":"x"},"jsonrpc":"2.0","id":1}'],
    ['a result only nested deeper', '{"x":{"result":{}},"jsonrpc":"2.0","id":1}'],
    ['a batch', '[{"result":{},"jsonrpc":"2.0","id":1}]'],
    // The scanner keeps a short list of keys and switches to a Set past a few: a twice-seen key is found on both sides.
    ['a key twice among the first few of a structuredContent', '{"result":{"content":[],"structuredContent":{"a":0,"b":1,"a":2}},"jsonrpc":"2.0","id":1}'],
    ['a key twice in a structuredContent with many keys', '{"result":{"content":[],"structuredContent":{"k0":0,"k1":1,"k2":2,"k3":3,"k4":4,"k5":5,"k6":6,"k7":7,"k8":8,"k9":9,"k10":10,"k11":11,"k12":12,"k13":13,"k14":14,"k15":15,"k16":16,"k17":17,"k18":18,"k19":19,"k3":20}},"jsonrpc":"2.0","id":1}'],
    ['a carriage return between tokens of the result (it would end a server-sent event)', '{"result":{"content":[],\r"isError":false},"jsonrpc":"2.0","id":1}'],
  ])('gives nothing for %s', (_label, line) => {
    JSON.parse(line); // every case is valid JSON: the checks are about meaning, not syntax
    expect(resultJson(line)).toBeUndefined();
  });

  it('accepts an object with many distinct keys', () => {
    const structuredContent = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`key${i}`, i]));
    const result = { content: [], structuredContent };
    expect(resultJson(sdkLine(result))).toBe(JSON.stringify(result));
  });

  it('gives nothing for bytes that are not UTF-8 (decoders differ on what they mean)', () => {
    const line = Buffer.concat([Buffer.from('{"result":{"content":[{"type":"text","text":"a'), Buffer.from([0xc3, 0x28]), Buffer.from('"}]},"jsonrpc":"2.0","id":1}')]);
    JSON.parse(line.toString('utf8'));
    expect(resultBytes(line)).toBeUndefined();
  });

  it('cuts multibyte text exactly, as a view into the line (no copy)', () => {
    const result = { content: [{ type: 'text', text: 'é😀 "}" ✓'.repeat(50) }] };
    const line = Buffer.from(sdkLine(result));
    const bytes = resultBytes(line)!;
    expect(bytes.buffer).toBe(line.buffer);
    expect(bytes.toString('utf8')).toBe(JSON.stringify(result));
  });

  it('accepts carriage returns around the whole line and the result, outside the result', () => {
    const result = { content: [{ type: 'text', text: 'x' }] };
    expect(resultJson(`{"jsonrpc":"2.0",\r"result":\r${JSON.stringify(result)}\r,"id":1}\r`)).toBe(JSON.stringify(result));
  });
});
