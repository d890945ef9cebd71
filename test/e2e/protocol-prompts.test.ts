import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeBinaries } from '../helpers/node-binaries.js';
import { protoConfig } from '../helpers/proto-fixture.js';
import { spawnHost, type HostUnderTest } from '../helpers/spawn-host.js';

describe.each(nodeBinaries())('prompts and completions pass through ($label)', ({ path: node }) => {
  let host: HostUnderTest;
  beforeAll(async () => {
    host = await spawnHost({ configPath: protoConfig(['proto', 'diner']), node });
  });
  afterAll(() => host?.close());

  it('declares prompts (listChanged) and completions', () => {
    const capabilities = host.client.getServerCapabilities();
    expect(capabilities?.prompts).toEqual({ listChanged: true });
    expect(capabilities?.completions).toEqual({});
  });

  it('lists each instance\'s prompt under its namespace with its arguments', async () => {
    const { prompts } = await host.client.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual(['diner__recipe', 'proto__recipe']);
    expect(prompts[1]).toEqual({
      name: 'proto__recipe',
      description: 'Asks the model for a recipe.',
      arguments: [
        { name: 'dish', description: 'Which dish', required: true },
        { name: 'style', description: 'Cooking style', required: false },
      ],
    });
  });

  it('gets a prompt from its owner with the arguments given', async () => {
    const proto = await host.client.getPrompt({ name: 'proto__recipe', arguments: { dish: 'stew', style: 'french' } });
    expect(proto.messages).toEqual([{ role: 'user', content: { type: 'text', text: 'Recipe for stew in french style (proto)' } }]);
    const diner = await host.client.getPrompt({ name: 'diner__recipe', arguments: { dish: 'pie' } });
    expect(diner.messages).toEqual([{ role: 'user', content: { type: 'text', text: 'Recipe for pie (diner)' } }]);
  });

  it('answers a missing required argument with a JSON-RPC error naming it', async () => {
    const missing = host.client.getPrompt({ name: 'proto__recipe', arguments: { style: 'french' } });
    await expect(missing).rejects.toMatchObject({ code: -32602 });
    await expect(missing).rejects.toThrow(/dish/);
  });

  it('answers an unknown prompt with a JSON-RPC error', async () => {
    for (const name of ['proto__nope', 'recipe', 'nobody__recipe']) {
      const unknown = host.client.getPrompt({ name, arguments: { dish: 'pie' } });
      await expect(unknown, name).rejects.toMatchObject({ code: -32602 });
      await expect(unknown, name).rejects.toThrow(name);
    }
    expect((await host.client.getPrompt({ name: 'proto__recipe', arguments: { dish: 'soup' } })).messages).toHaveLength(1);
  });

  it('completes a prompt argument, passing the other arguments as context', async () => {
    const dish = await host.client.complete({ ref: { type: 'ref/prompt', name: 'proto__recipe' }, argument: { name: 'dish', value: 'st' } });
    expect(dish.completion).toMatchObject({ values: ['stew'], hasMore: false });
    const style = await host.client.complete({
      ref: { type: 'ref/prompt', name: 'diner__recipe' },
      argument: { name: 'style', value: 'f' },
      context: { arguments: { dish: 'pie' } },
    });
    expect(style.completion.values).toEqual(['family pie', 'french pie', 'fusion pie']);
  });

  it('answers completion for an unknown prompt with a JSON-RPC error', async () => {
    await expect(
      host.client.complete({ ref: { type: 'ref/prompt', name: 'proto__nope' }, argument: { name: 'dish', value: '' } }),
    ).rejects.toMatchObject({ code: -32602 });
    expect(host.badStdout).toEqual([]);
  });
});
