import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { describe, expect, it } from 'vitest';
import { jsonOfReused, messageJson, reuseJson } from '../../core/server/json-cache.js';
import { createRequestExtra } from '../../core/server/request-extra.js';

/** The SDK side of one request: what the plugin's extra sends through it is recorded. */
function fakeRequest(options: { progressToken?: string; ignored?: boolean; capabilities?: object } = {}) {
  const sent: unknown[] = [];
  const server = {
    isMessageIgnored: () => options.ignored ?? false,
    getClientCapabilities: () => options.capabilities ?? {},
  } as unknown as Server;
  const sdk = {
    signal: new AbortController().signal,
    _meta: options.progressToken === undefined ? undefined : { progressToken: options.progressToken },
    sendNotification: async (notification: unknown) => void sent.push(notification),
    sendRequest: async (request: unknown) => (sent.push(request), { action: 'accept' }),
  };
  return { sent, extra: createRequestExtra(server, sdk as never, 'inst') };
}

describe('the extra a plugin handler receives', () => {
  it('works when destructured, as handlers commonly take it (`{ sendProgress, log }`)', async () => {
    const { sent, extra } = fakeRequest({ progressToken: 'tok', capabilities: { elicitation: {} } });
    const { sendProgress, log, elicit, signal } = extra;
    await sendProgress(1, 2, 'half');
    await log('info', 'hello');
    await elicit({ message: 'sure?', requestedSchema: { type: 'object', properties: {} } });
    expect(signal.aborted).toBe(false);
    expect(sent).toEqual([
      { method: 'notifications/progress', params: { progressToken: 'tok', progress: 1, total: 2, message: 'half' } },
      { method: 'notifications/message', params: { level: 'info', logger: 'inst', data: 'hello' } },
      { method: 'elicitation/create', params: { message: 'sure?', requestedSchema: { type: 'object', properties: {} } } },
    ]);
    // The same function each time it is read.
    expect(extra.sendProgress).toBe(sendProgress);
  });

  it('sends no progress without a token, no log the client silenced, and refuses what the client cannot do', async () => {
    const { sent, extra } = fakeRequest({ ignored: true });
    await extra.sendProgress(1);
    await extra.log('debug', 'quiet');
    await expect(extra.createMessage({ messages: [], maxTokens: 1 })).rejects.toThrow(/does not support sampling/);
    await expect(extra.elicit({ message: 'x', requestedSchema: { type: 'object', properties: {} } })).rejects.toThrow(/does not support elicitation/);
    expect(sent).toEqual([]);
  });
});

describe('reused JSON text', () => {
  it('goes out as the text kept, and is never part of the result\'s own serialization', () => {
    const result = reuseJson({ content: [{ type: 'text', text: 'as sent' }] }, '{"content":[{"type":"text","text":"as sent"}]}');
    expect(JSON.stringify(result)).toBe('{"content":[{"type":"text","text":"as sent"}]}');
    expect(Object.keys(result)).toEqual(['content']);
    expect(messageJson({ jsonrpc: '2.0', id: 3, result } as never)).toBe('{"jsonrpc":"2.0","id":3,"result":{"content":[{"type":"text","text":"as sent"}]}}');
  });

  it('works for a frozen result too, and computes the text once when none was given', () => {
    const frozen = Object.freeze({ tools: [] });
    expect(reuseJson(frozen, '{"tools":[]}')).toBe(frozen);
    expect(jsonOfReused(frozen)).toBe('{"tools":[]}');
    const list = reuseJson({ tools: [{ name: 'a' }] });
    const text = jsonOfReused(list);
    expect(text).toBe('{"tools":[{"name":"a"}]}');
    // Computed once: later changes to the object are not seen (a new list is a new object).
    list.tools.push({ name: 'b' });
    expect(jsonOfReused(list)).toBe(text);
    expect(jsonOfReused({ tools: [] })).toBeUndefined();
  });
});
