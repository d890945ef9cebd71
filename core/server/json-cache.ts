import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/** JSON text, or its UTF-8 bytes (written as they are, never decoded and encoded again). */
export type Json = string | Uint8Array;

/**
 * Results that are sent many times unchanged (a cached tools/list) keep their JSON text, so the transport writes
 * it instead of serializing ~500 KB again; so do results that came with their JSON (RESULT_JSON). The text is kept
 * on the result object itself, under a symbol only the host knows (not enumerable: JSON.stringify never sees it):
 * a new list is a new object, and the old text goes with the old object. Not in a WeakMap: an entry per tools/call
 * result is an ephemeron every scavenge must process (in an A/B run, scavenging per ~1 KB forwarded call went from
 * 12.4 to 10.0 µs without it). A frozen result cannot take the symbol; those few go to the WeakMap.
 */
const TEXT: unique symbol = Symbol('mcp-host.json-text');
const frozenTexts = new WeakMap<object, Json>();

type Marked = { [TEXT]?: Json };

function keep(result: object, json: Json): void {
  try {
    Object.defineProperty(result, TEXT, { value: json, writable: true, configurable: true, enumerable: false });
  } catch {
    frozenTexts.set(result, json);
  }
}

/** Marks `result` as unchanging and returns it; its JSON is `json` or computed once, on first send. */
export function reuseJson<T extends object>(result: T, json: Json = ''): T {
  if (json !== '' || textOf(result) === undefined) keep(result, json);
  return result;
}

function textOf(result: object): Json | undefined {
  return (result as Marked)[TEXT] ?? frozenTexts.get(result);
}

/** The JSON of `result` if it was marked with `reuseJson`, computing it on first use. */
export function jsonOfReused(result: object): Json | undefined {
  const text = textOf(result);
  if (text === undefined) return undefined;
  if (text !== '') return text;
  const fresh = JSON.stringify(result);
  keep(result, fresh);
  return fresh;
}

/**
 * The JSON of a message the host sends: a response whose result has its JSON here reuses it. Text, or, when that
 * JSON is bytes, the parts to write one after another (the bytes among them as they are, not copied).
 */
export function messageJson(message: JSONRPCMessage): string | (string | Uint8Array)[] {
  const result = (message as { result?: object }).result;
  const json = result && typeof result === 'object' ? jsonOfReused(result) : undefined;
  if (json === undefined) return JSON.stringify(message);
  const head = `{"jsonrpc":"2.0","id":${JSON.stringify((message as { id: string | number }).id)},"result":`;
  if (typeof json === 'string') return `${head}${json}}`;
  return [head, json, '}'];
}

/** messageJson in one piece: text, or bytes when it came in parts. */
export function messageBody(message: JSONRPCMessage): string | Buffer {
  const json = messageJson(message);
  return typeof json === 'string' ? json : Buffer.concat(json.map((part) => (typeof part === 'string' ? Buffer.from(part) : part)));
}
