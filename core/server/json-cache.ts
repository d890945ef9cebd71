import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/**
 * Results that are sent many times unchanged (a cached tools/list) keep their JSON text here, so the
 * transport writes it instead of serializing ~500 KB again. Keyed by the result object: a new list is
 * a new object, and the old text goes with the old object.
 */
const texts = new WeakMap<object, string>();

/** Marks `result` as unchanging and returns it; its JSON is `json` or computed once, on first send. */
export function reuseJson<T extends object>(result: T, json = ''): T {
  if (json !== '' || !texts.has(result)) texts.set(result, json);
  return result;
}

/** The JSON text of `result` if it was marked with `reuseJson`, computing it on first use. */
export function jsonOfReused(result: object): string | undefined {
  const text = texts.get(result);
  if (text === undefined) return undefined;
  if (text !== '') return text;
  const fresh = JSON.stringify(result);
  texts.set(result, fresh);
  return fresh;
}

/** The JSON text of a message the host sends: a response whose result has its text here reuses it. */
export function messageJson(message: JSONRPCMessage): string {
  const result = (message as { result?: object }).result;
  const text = result && typeof result === 'object' ? jsonOfReused(result) : undefined;
  if (text === undefined) return JSON.stringify(message);
  return `{"jsonrpc":"2.0","id":${JSON.stringify((message as { id: string | number }).id)},"result":${text}}`;
}
