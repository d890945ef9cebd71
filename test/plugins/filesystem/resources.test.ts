// The file resource template: reads, completion, and subscriptions that follow changes on disk.
import { renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../../helpers/reload-wait.js';
import { createSandbox, startFsHost, type FsHost, type FsSandbox } from './fs-harness.js';

describe('filesystem resources', () => {
  let sb: FsSandbox;
  let fs: FsHost;
  const updates: string[] = [];
  const uriOf = (rel: string) => `file://files/${join(sb.root, rel)}`;

  beforeAll(async () => {
    sb = createSandbox();
    sb.put('notes.md', '# notes\n');
    sb.put('img.png', Buffer.from('89504e470d0a1a0a', 'hex'));
    sb.put('watched.txt', 'v1\n');
    sb.put('replaced.txt', 'v1\n');
    sb.put('with space.txt', 'spaced\n');
    fs = await startFsHost(sb, {}, {
      setup: (client) => client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void updates.push(n.params.uri)),
    });
  });
  afterAll(async () => {
    await fs?.close();
    sb?.cleanup();
  });

  it('lists the template and some files of the root', async () => {
    const { resourceTemplates } = await fs.client.listResourceTemplates();
    expect(resourceTemplates).toContainEqual(expect.objectContaining({ uriTemplate: 'file://files/{+path}', name: 'file' }));
    const { resources } = await fs.client.listResources();
    expect(resources.map((r) => r.uri)).toContain(uriOf('notes.md'));
  });

  it('reads text as text and binary files as blobs; percent-encoded paths work', async () => {
    expect((await fs.client.readResource({ uri: uriOf('notes.md') })).contents[0]).toEqual({ uri: uriOf('notes.md'), mimeType: 'text/markdown', text: '# notes\n' });
    const image = (await fs.client.readResource({ uri: uriOf('img.png') })).contents[0];
    expect(image).toMatchObject({ mimeType: 'image/png', blob: Buffer.from('89504e470d0a1a0a', 'hex').toString('base64') });
    const spaced = `file://files/${join(sb.root, 'with%20space.txt')}`;
    expect((await fs.client.readResource({ uri: spaced })).contents[0]).toMatchObject({ text: 'spaced\n' });
  });

  it('completes paths inside the root', async () => {
    const result = await fs.client.complete({ ref: { type: 'ref/resource', uri: 'file://files/{+path}' }, argument: { name: 'path', value: `${sb.root}/wa` } });
    expect(result.completion.values).toEqual([join(sb.root, 'watched.txt')]);
  });

  it('pushes resources/updated when a subscribed file changes in place, is replaced by rename, or is removed', async () => {
    await fs.client.subscribeResource({ uri: uriOf('watched.txt') });
    await fs.client.subscribeResource({ uri: uriOf('replaced.txt') });
    writeFileSync(join(sb.root, 'watched.txt'), 'v2 in place\n');
    await pollUntil('an update for watched.txt', async () => updates.filter((u) => u === uriOf('watched.txt')).length, (n) => n >= 1);
    // An editor's save: a new file renamed over the old one.
    writeFileSync(join(sb.root, '.replaced.tmp'), 'v2 renamed\n');
    renameSync(join(sb.root, '.replaced.tmp'), join(sb.root, 'replaced.txt'));
    await pollUntil('an update for replaced.txt', async () => updates.filter((u) => u === uriOf('replaced.txt')).length, (n) => n >= 1);
    expect((await fs.client.readResource({ uri: uriOf('replaced.txt') })).contents[0]).toMatchObject({ text: 'v2 renamed\n' });
    await fs.client.unsubscribeResource({ uri: uriOf('replaced.txt') });
    const before = updates.filter((u) => u === uriOf('watched.txt')).length;
    writeFileSync(join(sb.root, 'watched.txt'), 'v3\n');
    await pollUntil('a second update for watched.txt', async () => updates.filter((u) => u === uriOf('watched.txt')).length, (n) => n > before);
    const beforeRemoval = updates.filter((u) => u === uriOf('watched.txt')).length;
    unlinkSync(join(sb.root, 'watched.txt'));
    await pollUntil('an update for the removal', async () => updates.filter((u) => u === uriOf('watched.txt')).length, (n) => n > beforeRemoval);
    expect(updates.every((u) => u === uriOf('watched.txt') || u === uriOf('replaced.txt'))).toBe(true);
  });
});
