import { ResourceUpdatedNotificationSchema, type ResourceUpdatedNotification } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeBinaries } from '../helpers/node-binaries.js';
import { jsonOf, protoConfig, recordNotifications } from '../helpers/proto-fixture.js';
import { spawnHost, type HostUnderTest } from '../helpers/spawn-host.js';

// Two instances of one plugin (proto-kitchen): `proto` and `diner`. The plugin says `kitchen://menu` and
// `kitchen://dish/{name}`; the host exposes `kitchen://<namespace>/menu` and `kitchen://<namespace>/dish/{name}`.
describe.each(nodeBinaries())('resources pass through ($label)', ({ path: node }) => {
  let host: HostUnderTest;
  let updates: ReturnType<typeof recordNotifications<ResourceUpdatedNotification>>;
  beforeAll(async () => {
    host = await spawnHost({ configPath: protoConfig(['proto', 'diner']), node });
    updates = recordNotifications<ResourceUpdatedNotification>(host.client, ResourceUpdatedNotificationSchema);
  });
  afterAll(() => host?.close());

  it('declares resources with subscribe and listChanged', () => {
    expect(host.client.getServerCapabilities()?.resources).toEqual({ subscribe: true, listChanged: true });
  });

  it('lists fixed and template-listed resources under exposed URIs, distinct per instance', async () => {
    const { resources } = await host.client.listResources();
    const uris = resources.map((r) => r.uri);
    expect(uris).toEqual(
      expect.arrayContaining([
        'kitchen://proto/menu',
        'kitchen://diner/menu',
        'kitchen://proto/dish/soup',
        'kitchen://proto/dish/salad',
        'kitchen://diner/dish/soup',
        'kitchen://diner/dish/salad',
      ]),
    );
    expect(uris).toHaveLength(6);
    expect(new Set(uris).size).toBe(uris.length);
    for (const uri of uris) expect(() => new URL(uri)).not.toThrow();
    expect(resources.find((r) => r.uri === 'kitchen://proto/menu')).toMatchObject({ name: 'menu', mimeType: 'text/plain' });
    expect(resources.find((r) => r.uri === 'kitchen://diner/dish/soup')).toMatchObject({ name: 'dish soup', mimeType: 'text/plain' });
  });

  it('lists templates under exposed URI templates', async () => {
    const { resourceTemplates } = await host.client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate).sort()).toEqual(['kitchen://diner/dish/{name}', 'kitchen://proto/dish/{name}']);
    expect(resourceTemplates[0]).toMatchObject({ name: 'dish', mimeType: 'text/plain' });
  });

  it('routes a read of a fixed resource to its owner, with the plugin-terms URI, and answers with the exposed URI', async () => {
    const proto = await host.client.readResource({ uri: 'kitchen://proto/menu' });
    const diner = await host.client.readResource({ uri: 'kitchen://diner/menu' });
    expect(proto.contents).toEqual([{ uri: 'kitchen://proto/menu', mimeType: 'text/plain', text: 'menu of proto (read kitchen://menu)' }]);
    expect(diner.contents).toEqual([{ uri: 'kitchen://diner/menu', mimeType: 'text/plain', text: 'menu of diner (read kitchen://menu)' }]);
  });

  it('routes a read of a templated URI to its owner with the template variables', async () => {
    const listed = await host.client.readResource({ uri: 'kitchen://diner/dish/salad' });
    expect(listed.contents).toEqual([{ uri: 'kitchen://diner/dish/salad', mimeType: 'text/plain', text: 'salad from diner (read kitchen://dish/salad)' }]);
    // Not in the list, but the template matches it.
    const unlisted = await host.client.readResource({ uri: 'kitchen://proto/dish/pie' });
    expect(unlisted.contents).toEqual([{ uri: 'kitchen://proto/dish/pie', mimeType: 'text/plain', text: 'pie from proto (read kitchen://dish/pie)' }]);
  });

  it('answers an unknown URI with JSON-RPC error -32002', async () => {
    for (const uri of ['kitchen://nobody/menu', 'kitchen://menu', 'other://proto/menu', 'kitchen://proto/drinks/tea']) {
      await expect(host.client.readResource({ uri }), uri).rejects.toMatchObject({ code: -32002 });
    }
    // The daemon carries on.
    expect((await host.client.readResource({ uri: 'kitchen://proto/menu' })).contents).toHaveLength(1);
  });

  it('completes a resource-template variable through the exposed template URI', async () => {
    const result = await host.client.complete({ ref: { type: 'ref/resource', uri: 'kitchen://proto/dish/{name}' }, argument: { name: 'name', value: 's' } });
    expect(result.completion.values).toEqual(['soup', 'salad', 'stew']);
    expect(result.completion.hasMore).toBe(false);
    const none = await host.client.complete({ ref: { type: 'ref/resource', uri: 'kitchen://diner/dish/{name}' }, argument: { name: 'name', value: 'x' } });
    expect(none.completion.values).toEqual([]);
    // The plugin-terms template is not what the client sees, so it is unknown.
    await expect(
      host.client.complete({ ref: { type: 'ref/resource', uri: 'kitchen://dish/{name}' }, argument: { name: 'name', value: 's' } }),
    ).rejects.toMatchObject({ code: -32602 });
  });

  it('subscriptions: hooks get plugin-terms URIs, updates arrive with exposed URIs, and stop after unsubscribe', async () => {
    const hooks = async (instance: string) => jsonOf<[string, string][]>(await host.client.callTool({ name: `${instance}__hook_calls`, arguments: {} }));
    const touch = (instance: string, uri: string) => host.client.callTool({ name: `${instance}__touch`, arguments: { uri } });

    await host.client.subscribeResource({ uri: 'kitchen://proto/menu' });
    await host.client.subscribeResource({ uri: 'kitchen://proto/dish/soup' });
    expect(await hooks('proto')).toEqual([
      ['subscribe', 'kitchen://menu'],
      ['subscribe', 'kitchen://dish/soup'],
    ]);
    expect(await hooks('diner')).toEqual([]);

    await touch('proto', 'kitchen://menu');
    expect(await updates.next(1)).toEqual([{ uri: 'kitchen://proto/menu' }]);
    await touch('proto', 'kitchen://dish/soup');
    expect(await updates.next(2)).toEqual([{ uri: 'kitchen://proto/menu' }, { uri: 'kitchen://proto/dish/soup' }]);

    // Unsubscribed or never subscribed: no update. The subscribed soup update that follows proves the others were not sent.
    await host.client.unsubscribeResource({ uri: 'kitchen://proto/menu' });
    await touch('proto', 'kitchen://menu');
    await touch('diner', 'kitchen://menu');
    await touch('proto', 'kitchen://dish/salad');
    await touch('proto', 'kitchen://dish/soup');
    expect(await updates.next(3)).toEqual([{ uri: 'kitchen://proto/menu' }, { uri: 'kitchen://proto/dish/soup' }, { uri: 'kitchen://proto/dish/soup' }]);
    expect(await hooks('proto')).toEqual([
      ['subscribe', 'kitchen://menu'],
      ['subscribe', 'kitchen://dish/soup'],
      ['unsubscribe', 'kitchen://menu'],
    ]);

    await host.client.unsubscribeResource({ uri: 'kitchen://proto/dish/soup' });
    expect((await hooks('proto')).at(-1)).toEqual(['unsubscribe', 'kitchen://dish/soup']);
  });

  it('refuses to subscribe to an unknown URI with -32002', async () => {
    await expect(host.client.subscribeResource({ uri: 'kitchen://nobody/menu' })).rejects.toMatchObject({ code: -32002 });
    expect(host.badStdout).toEqual([]);
  });
});
