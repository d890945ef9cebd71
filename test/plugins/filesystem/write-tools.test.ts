// The write tools: atomic writes that keep line endings, BOM and permissions; exact edits with diffs;
// folders; moves that never replace by accident. Each refusal checks the file is unchanged.
import { chmodSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeBinaries } from '../../helpers/node-binaries.js';
import { createSandbox, startFsHost, type FsHost, type FsSandbox } from './fs-harness.js';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

describe.each(nodeBinaries())('filesystem write tools ($label)', ({ path: node }) => {
  let sb: FsSandbox;
  let fs: FsHost;
  const file = (rel: string) => readFileSync(join(sb.root, rel));
  beforeAll(async () => {
    sb = createSandbox();
    fs = await startFsHost(sb, { readOnly: false }, { node });
  });
  afterAll(async () => {
    await fs?.close();
    sb?.cleanup();
  });

  it('offers the write tools with write annotations when readOnly is false', async () => {
    const { tools } = await fs.client.listTools();
    const byName = new Map(tools.map((t) => [t.name, t]));
    expect(byName.get('files__write_file')?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false });
    expect(byName.get('files__edit_file')?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true, idempotentHint: false });
    expect(byName.get('files__create_directory')?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false, idempotentHint: true });
    expect(byName.get('files__move_file')?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true, idempotentHint: false });
  });

  it('creates files (and missing folders), returning the SHA-256', async () => {
    const text = await fs.ok('write_file', { path: 'new/deep/a.txt', content: 'hello\n' });
    expect(text).toContain(`Created ${join(sb.root, 'new/deep/a.txt')}`);
    expect(text).toContain(sha('hello\n'));
    expect(file('new/deep/a.txt').toString()).toBe('hello\n');
  });

  it('createOnly and expectedSha256 refuse to clobber, leaving the file unchanged', async () => {
    sb.put('guarded.txt', 'v1\n');
    expect(await fs.refused('write_file', { path: 'guarded.txt', content: 'v2\n', createOnly: true })).toMatch(/already exists/);
    expect(await fs.refused('write_file', { path: 'guarded.txt', content: 'v2\n', expectedSha256: sha('other') })).toMatch(/content changed/);
    expect(file('guarded.txt').toString()).toBe('v1\n');
    await fs.ok('write_file', { path: 'guarded.txt', content: 'v2\n', expectedSha256: sha('v1\n') });
    expect(file('guarded.txt').toString()).toBe('v2\n');
  });

  it('keeps CRLF line endings, the BOM and the permission bits when replacing', async () => {
    sb.put('win.txt', Buffer.concat([BOM, Buffer.from('one\r\ntwo\r\n')]));
    chmodSync(join(sb.root, 'win.txt'), 0o751);
    const text = await fs.ok('write_file', { path: 'win.txt', content: 'uno\ndos\ntres\n' });
    expect(text).toMatch(/kept CRLF line endings, the UTF-8 BOM, permissions/);
    expect(file('win.txt')).toEqual(Buffer.concat([BOM, Buffer.from('uno\r\ndos\r\ntres\r\n')]));
    expect(statSync(join(sb.root, 'win.txt')).mode & 0o777).toBe(0o751);
  });

  it('never re-encodes a file that is not UTF-8 unless told its SHA-256', async () => {
    const latin = Buffer.from('caf\xe9\n', 'latin1');
    sb.put('latin.txt', latin);
    const refusal = await fs.refused('write_file', { path: 'latin.txt', content: 'café\n' });
    expect(refusal).toMatch(/not valid UTF-8; writing would re-encode it/);
    expect(refusal).toContain(sha(latin));
    expect(await fs.refused('edit_file', { path: 'latin.txt', edits: [{ oldText: 'caf', newText: 'CAF' }] })).toMatch(/never re-encodes/);
    expect(file('latin.txt')).toEqual(latin);
    await fs.ok('write_file', { path: 'latin.txt', content: 'café\n', expectedSha256: sha(latin) });
    expect(file('latin.txt').toString()).toBe('café\n');
  });

  it('edits exact text once and returns a unified diff', async () => {
    sb.put('code.ts', 'const a = 1;\nconst b = 2;\nconst c = 3;\n');
    const text = await fs.ok('edit_file', { path: 'code.ts', edits: [{ oldText: 'const b = 2;', newText: 'const b = 20;' }] });
    expect(text).toMatch(/\+1 -1 lines/);
    expect(text).toContain('-const b = 2;\n+const b = 20;');
    expect(text).toContain('@@ -1,3 +1,3 @@');
    expect(file('code.ts').toString()).toBe('const a = 1;\nconst b = 20;\nconst c = 3;\n');
  });

  it('refuses ambiguous or missing oldText, all edits or none', async () => {
    sb.put('dup.txt', 'x = 1\nx = 1\ny = $1\n');
    const before = file('dup.txt');
    expect(await fs.refused('edit_file', { path: 'dup.txt', edits: [{ oldText: 'x = 1', newText: 'x = 2' }] })).toMatch(/occurs 2 times \(at lines 1, 2\)/);
    expect(await fs.refused('edit_file', { path: 'dup.txt', edits: [{ oldText: 'y = $1', newText: 'y = 3' }, { oldText: 'zzz', newText: '' }] })).toMatch(
      /edit 2: oldText not found/,
    );
    expect(await fs.refused('edit_file', { path: 'dup.txt', edits: [{ oldText: '  x = 1', newText: '' }] })).toMatch(/first line occurs at line 1, 2/);
    expect(file('dup.txt')).toEqual(before);
    await fs.ok('edit_file', { path: 'dup.txt', edits: [{ oldText: 'x = 1', newText: 'x = $&', replaceAll: true }] });
    expect(file('dup.txt').toString()).toBe('x = $&\nx = $&\ny = $1\n');
  });

  it('edits a CRLF file with LF text and keeps it CRLF (and its BOM)', async () => {
    sb.put('dos.txt', Buffer.concat([BOM, Buffer.from('first\r\nsecond\r\nthird\r\n')]));
    await fs.ok('edit_file', { path: 'dos.txt', edits: [{ oldText: 'first\nsecond\n', newText: 'first\ninserted\nsecond\n' }] });
    expect(file('dos.txt')).toEqual(Buffer.concat([BOM, Buffer.from('first\r\ninserted\r\nsecond\r\nthird\r\n')]));
  });

  it('dryRun shows the diff and writes nothing', async () => {
    sb.put('dry.txt', 'keep\n');
    const text = await fs.ok('edit_file', { path: 'dry.txt', edits: [{ oldText: 'keep', newText: 'change' }], dryRun: true });
    expect(text).toMatch(/Dry run/);
    expect(text).toContain('+change');
    expect(file('dry.txt').toString()).toBe('keep\n');
  });

  it('creates folders with parents, idempotently, and refuses a file in the way', async () => {
    expect(await fs.ok('create_directory', { path: 'x/y/z' })).toMatch(/Created .* \(and 2 parent folder/);
    expect(statSync(join(sb.root, 'x/y/z')).isDirectory()).toBe(true);
    expect(await fs.ok('create_directory', { path: 'x/y/z' })).toMatch(/already exists/);
    sb.put('plain', 'f');
    expect(await fs.refused('create_directory', { path: 'plain' })).toMatch(/not a folder/);
    expect(await fs.refused('create_directory', { path: 'plain/sub' })).toMatch(/not a directory/);
    expect(file('plain').toString()).toBe('f');
  });

  it('moves files and folders, never replacing unless asked, never a folder into itself', async () => {
    sb.put('m/a.txt', 'A');
    sb.put('m/b.txt', 'B');
    expect(await fs.refused('move_file', { from: 'm/a.txt', to: 'm/b.txt' })).toMatch(/already exists; pass overwrite/);
    expect(file('m/a.txt').toString()).toBe('A');
    expect(file('m/b.txt').toString()).toBe('B');
    await fs.ok('move_file', { from: 'm/a.txt', to: 'm/b.txt', overwrite: true });
    expect(existsSync(join(sb.root, 'm/a.txt'))).toBe(false);
    expect(file('m/b.txt').toString()).toBe('A');
    await fs.ok('move_file', { from: 'm', to: 'moved/here' });
    expect(file('moved/here/b.txt').toString()).toBe('A');
    expect(await fs.refused('move_file', { from: 'moved', to: 'moved/here/inner' })).toMatch(/into itself/);
    expect(await fs.refused('move_file', { from: 'nope.txt', to: 'x.txt' })).toMatch(/no such file/);
  });

  it('leaves no temp files behind', async () => {
    const all: string[] = [];
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(d, e.name));
        else all.push(e.name);
      }
    };
    walk(sb.root);
    expect(all.filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});
