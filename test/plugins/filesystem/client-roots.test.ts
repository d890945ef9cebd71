// MCP roots announced by the client may only narrow the configured roots, never widen them.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ListRootsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, startFsHost, type FsHost, type FsSandbox } from './fs-harness.js';

describe('client roots', () => {
  let sb: FsSandbox;
  beforeAll(() => {
    sb = createSandbox();
    sb.put('a/one.txt', 'one\n');
    sb.put('b/two.txt', 'two\n');
    sb.put('top.txt', 'top\n');
  });
  afterAll(() => sb?.cleanup());

  /** A host whose client answers roots/list with `roots()` (changeable). */
  async function withClientRoots(roots: () => string[]): Promise<FsHost> {
    return startFsHost(sb, { readOnly: false }, {
      capabilities: { roots: { listChanged: true } },
      setup: (client) => client.setRequestHandler(ListRootsRequestSchema, () => ({ roots: roots().map((p) => ({ uri: pathToFileURL(p).href })) })),
    });
  }

  it('cannot widen: roots at / or at the parent of the configured root grant nothing more', async () => {
    const fs = await withClientRoots(() => ['/', sb.base, sb.outside]);
    try {
      const listed = await fs.call('list_roots', {});
      expect(listed.result.structuredContent.roots).toEqual([sb.root]);
      expect(await fs.refused('read_text_file', { path: join(sb.outside, 'secret.txt') })).toMatch(/outside the allowed roots/);
      expect(await fs.refused('read_text_file', { path: join(sb.evil, 'secret.txt') })).toMatch(/outside the allowed roots/);
      expect(await fs.refused('write_file', { path: join(sb.outside, 'pwn.txt'), content: 'x' })).toMatch(/outside the allowed roots/);
      expect(await fs.ok('read_text_file', { path: 'top.txt' })).toBe('top\n');
    } finally {
      await fs.close();
    }
  });

  it('narrows to a client root inside the configured root, and follows roots/list_changed', async () => {
    let roots = [join(sb.root, 'a')];
    const fs = await withClientRoots(() => roots);
    try {
      expect((await fs.call('list_roots', {})).result.structuredContent.roots).toEqual([join(sb.root, 'a')]);
      expect(await fs.ok('read_text_file', { path: join(sb.root, 'a', 'one.txt') })).toBe('one\n');
      expect(await fs.ok('read_text_file', { path: 'one.txt' })).toBe('one\n');
      expect(await fs.refused('read_text_file', { path: join(sb.root, 'b', 'two.txt') })).toMatch(/outside the allowed roots/);
      expect(await fs.refused('read_text_file', { path: join(sb.root, 'top.txt') })).toMatch(/outside the allowed roots/);
      expect(await fs.ok('find_files', { pattern: '*.txt' })).not.toContain('two.txt');
      roots = [join(sb.root, 'b')];
      await fs.client.sendRootsListChanged();
      // The change is asynchronous: poll (bounded) until the new roots are in force.
      let text = '';
      for (let i = 0; i < 100 && !text.includes(join(sb.root, 'b')); i++) {
        text = (await fs.call('list_roots', {})).text;
        if (!text.includes(join(sb.root, 'b'))) await new Promise((r) => setTimeout(r, 20));
      }
      expect(text).toContain(join(sb.root, 'b'));
      expect(await fs.ok('read_text_file', { path: join(sb.root, 'b', 'two.txt') })).toBe('two\n');
      expect(await fs.refused('read_text_file', { path: join(sb.root, 'a', 'one.txt') })).toMatch(/outside the allowed roots/);
    } finally {
      await fs.close();
    }
  });

  it('a client whose roots are all outside the configured roots gets no access at all', async () => {
    const fs = await withClientRoots(() => [sb.outside]);
    try {
      expect(await fs.refused('read_text_file', { path: 'top.txt' })).toMatch(/do not overlap the configured roots/);
      expect(await fs.refused('read_text_file', { path: join(sb.outside, 'secret.txt') })).toMatch(/do not overlap/);
    } finally {
      await fs.close();
    }
  });

  it('a client without the roots capability gets the configured roots', async () => {
    const fs = await startFsHost(sb);
    try {
      expect((await fs.call('list_roots', {})).result.structuredContent).toMatchObject({ roots: [sb.root], readOnly: true });
    } finally {
      await fs.close();
    }
  });
});
