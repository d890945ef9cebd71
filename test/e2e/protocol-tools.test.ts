import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeBinaries } from '../helpers/node-binaries.js';
import { protoConfig, recordNotifications, textOf } from '../helpers/proto-fixture.js';
import { spawnHost, type HostUnderTest } from '../helpers/spawn-host.js';

describe.each(nodeBinaries())('tools/call pass-through ($label)', ({ path: node }) => {
  let host: HostUnderTest;
  beforeAll(async () => {
    host = await spawnHost({ configPath: protoConfig(['proto']), node });
  });
  afterAll(() => host?.close());

  const call = (name: string, args: Record<string, unknown> = {}) => host.client.callTool({ name: `proto__${name}`, arguments: args });

  it('calls a tool with valid arguments', async () => {
    expect(await call('echo', { text: 'hi', times: 2 })).toEqual({ content: [{ type: 'text', text: 'hi hi' }] });
  });

  it('refuses invalid arguments with isError and a message naming each bad field', async () => {
    const wrongType = await call('echo', { text: 5 });
    expect(wrongType.isError).toBe(true);
    expect(textOf(wrongType)).toMatch(/^Invalid arguments for tool proto__echo: text: must be string$/);

    const missing = await call('echo', { times: 1 });
    expect(missing.isError).toBe(true);
    expect(textOf(missing)).toContain('text: required');

    const several = await call('echo', { text: 'x', times: 9, colour: 'red' });
    expect(several.isError).toBe(true);
    expect(textOf(several)).toContain('times: must be <= 3');
    expect(textOf(several)).toContain('colour: unknown key');
  });

  it('answers an unknown tool with JSON-RPC error -32602', async () => {
    for (const name of ['proto__nope', 'echo', 'nobody__echo']) {
      await expect(host.client.callTool({ name, arguments: {} }), name).rejects.toMatchObject({ code: -32602 });
    }
  });

  it('turns a throwing handler into isError and keeps serving', async () => {
    const result = await call('boom');
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe('Tool proto__boom failed: the kitchen is on fire');
    expect(textOf(await call('echo', { text: 'still here' }))).toBe('still here');
  });

  it.each(['no-content', 'bad-item', 'not-object', 'bad-is-error', 'bad-annotations', 'bad-structured'])('turns a malformed result (%s) into isError', async (shape) => {
    const result = await call('malformed', { shape });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/^Tool proto__malformed returned an invalid result/);
    expect(textOf(await call('echo', { text: 'after' }))).toBe('after');
  });

  it('sends an unusual but valid result as the protocol defines it: unknown members of content items dropped, of the result kept', async () => {
    const result = await call('unusual');
    expect(result).toEqual({ content: [{ type: 'text', text: 'x' }], extra: 1 });
  });

  it('sends tools/list_changed when a plugin registers a tool at runtime, and again when it removes it', async () => {
    const changes = recordNotifications(host.client, ToolListChangedNotificationSchema);
    const before = (await host.client.listTools()).tools.map((t) => t.name);
    expect(before).not.toContain('proto__fresh');

    expect(textOf(await call('add_tool', { name: 'fresh' }))).toBe('added fresh');
    await changes.next(1);
    const added = (await host.client.listTools()).tools.map((t) => t.name);
    expect(added).toEqual([...before, 'proto__fresh'].sort());
    expect(textOf(await call('fresh'))).toBe('runtime tool fresh of proto');

    expect(textOf(await call('remove_tool', { name: 'fresh' }))).toBe('removed fresh');
    await changes.next(2);
    expect((await host.client.listTools()).tools.map((t) => t.name)).toEqual(before);
    await expect(call('fresh')).rejects.toMatchObject({ code: -32602 });
    expect(host.badStdout).toEqual([]);
  });
});

describe.each(nodeBinaries())('list pagination ($label)', ({ path: node }) => {
  let paged: HostUnderTest;
  let unpaged: HostUnderTest;
  beforeAll(async () => {
    [paged, unpaged] = await Promise.all([
      spawnHost({ configPath: protoConfig(['proto', 'diner'], { listPageSize: 2 }), node }),
      spawnHost({ configPath: protoConfig(['proto', 'diner']), node }),
    ]);
  });
  afterAll(() => Promise.all([paged?.close(), unpaged?.close()]));

  /** Follows nextCursor to the end; returns every page. */
  async function allPages<T>(list: (cursor?: string) => Promise<{ nextCursor?: string } & Record<string, unknown>>, key: string): Promise<T[][]> {
    const pages: T[][] = [];
    let cursor: string | undefined;
    do {
      const page = await list(cursor);
      pages.push(page[key] as T[]);
      cursor = page.nextCursor;
    } while (cursor !== undefined && pages.length < 1000);
    return pages;
  }

  it('pages tools/list: every tool exactly once, in the unpaged order', async () => {
    const pages = await allPages<{ name: string }>((cursor) => paged.client.listTools(cursor ? { cursor } : {}), 'tools');
    const all = (await unpaged.client.listTools()).tools.map((t) => t.name);
    expect(all.length).toBeGreaterThan(20);
    expect(pages.length).toBe(Math.ceil(all.length / 2));
    for (const page of pages) expect(page.length).toBeLessThanOrEqual(2);
    expect(pages.flat().map((t) => t.name)).toEqual(all);
  });

  it('pages resources/list, resources/templates/list and prompts/list the same way', async () => {
    const resources = await allPages<{ uri: string }>((cursor) => paged.client.listResources(cursor ? { cursor } : {}), 'resources');
    expect(resources.length).toBeGreaterThan(1);
    expect(resources.flat().map((r) => r.uri)).toEqual((await unpaged.client.listResources()).resources.map((r) => r.uri));

    const templates = await allPages<{ uriTemplate: string }>((cursor) => paged.client.listResourceTemplates(cursor ? { cursor } : {}), 'resourceTemplates');
    expect(templates.flat().map((t) => t.uriTemplate)).toEqual((await unpaged.client.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate));

    const prompts = await allPages<{ name: string }>((cursor) => paged.client.listPrompts(cursor ? { cursor } : {}), 'prompts');
    expect(prompts.flat().map((p) => p.name)).toEqual(['diner__recipe', 'proto__recipe']);
  });

  it('answers an invalid cursor with JSON-RPC error -32602', async () => {
    for (const cursor of ['not-a-cursor', '', Buffer.from('o-1').toString('base64url')]) {
      await expect(paged.client.listTools({ cursor }), JSON.stringify(cursor)).rejects.toMatchObject({ code: -32602 });
    }
    await expect(paged.client.listResources({ cursor: 'bogus' })).rejects.toMatchObject({ code: -32602 });
    await expect(paged.client.listPrompts({ cursor: 'bogus' })).rejects.toMatchObject({ code: -32602 });
    expect((await paged.client.listTools()).nextCursor).toBeDefined();
  });
});
