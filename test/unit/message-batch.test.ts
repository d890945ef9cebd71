import { describe, expect, it } from 'vitest';
import { MessageBatch, unbatch } from '../../core/isolation/message-batch.js';

type Message = { t: string; value?: unknown };

/** A post that clones like postMessage (and throws like it on a function), recording what arrived. */
function recorder() {
  const arrived: Message[] = [];
  const posts: number[] = [];
  const post = (data: Message | Message[]) => {
    const copy = structuredClone(data);
    posts.push(Array.isArray(copy) ? copy.length : 1);
    unbatch(copy, (message) => arrived.push(message));
  };
  return { arrived, posts, post };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('MessageBatch', () => {
  it('sends what one turn queued in one post, in order', async () => {
    const { arrived, posts, post } = recorder();
    const batch = new MessageBatch<Message>(post);
    for (const t of ['a', 'b', 'c']) batch.later({ t }, () => {});
    expect(arrived).toEqual([]);
    await turn();
    expect(arrived.map((m) => m.t)).toEqual(['a', 'b', 'c']);
    expect(posts).toEqual([3]);
  });

  it('fails only the message that cannot be cloned; the others still arrive, in order', async () => {
    const { arrived, post } = recorder();
    const batch = new MessageBatch<Message>(post);
    const failed: string[] = [];
    batch.later({ t: 'a' }, () => failed.push('a'));
    batch.later({ t: 'b', value: () => {} }, (error) => failed.push(`b: ${(error as Error).name}`));
    batch.later({ t: 'c' }, () => failed.push('c'));
    await turn();
    expect(arrived.map((m) => m.t)).toEqual(['a', 'c']);
    expect(failed).toEqual(['b: DataCloneError']);
  });

  it('sends a message now only after what is queued, and throws its own clone error', async () => {
    const { arrived, post } = recorder();
    const batch = new MessageBatch<Message>(post);
    batch.later({ t: 'call' }, () => {});
    batch.now({ t: 'cancel' });
    expect(arrived.map((m) => m.t)).toEqual(['call', 'cancel']);
    expect(() => batch.now({ t: 'bad', value: () => {} })).toThrow();
    await turn();
    expect(arrived.map((m) => m.t)).toEqual(['call', 'cancel']);
  });
});
