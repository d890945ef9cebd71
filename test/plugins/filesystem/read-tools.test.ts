// The read tools on real files: ranges, caps and continuation, encodings, media, structured data, info.
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeBinaries } from '../../helpers/node-binaries.js';
import { createSandbox, startFsHost, type FsHost, type FsSandbox } from './fs-harness.js';

const lines = (n: number, from = 1) => Array.from({ length: n }, (_, i) => `line ${i + from}`).join('\n') + '\n';
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

describe.each(nodeBinaries())('filesystem read tools ($label)', ({ path: node }) => {
  let sb: FsSandbox;
  let fs: FsHost;
  beforeAll(async () => {
    sb = createSandbox();
    sb.put('hundred.txt', lines(100));
    sb.put('crlf.txt', 'a\r\nb\r\nc\r\n');
    sb.put('bom.txt', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('with bom\n')]));
    sb.put('utf16.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('héllo\nwörld\n', 'utf16le')]));
    sb.put('latin1.txt', Buffer.from('caf\xe9\n', 'latin1'));
    sb.put('binary.bin', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3]));
    sb.put('pic.png', PNG);
    sb.put('sound.wav', Buffer.from('RIFF0000WAVEfmt '));
    sb.put('data.json', '{"name": "demo", "list": [1, 2, 3]}');
    sb.put(
      'k8s.yaml',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: prod\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n---\n',
    );
    sb.put('conf.toml', 'title = "x"\n[server]\nport = 8080\n');
    sb.put('bad.yaml', 'a: [1, 2\nb: 3\n');
    sb.put('bad.json', '{"a": }');
    // Small cap so truncation is easy to reach; multi-byte characters so cuts must respect them.
    fs = await startFsHost(sb, { maxReadBytes: 1024 }, { node });
  });
  afterAll(async () => {
    await fs?.close();
    sb?.cleanup();
  });

  const items = async (args: Record<string, unknown>) => ((await fs.call('read_text_file', args)).result.content as { text: string }[]).map((c) => c.text);

  it('reads a whole small file verbatim, with no note', async () => {
    sb.put('small.txt', 'hello\nworld');
    expect(await items({ path: 'small.txt' })).toEqual(['hello\nworld']);
    expect(await items({ path: join(sb.root, 'crlf.txt') })).toEqual(['a\r\nb\r\nc\r\n']);
  });

  it('reads line ranges, head and tail, and says where they are', async () => {
    expect(await items({ path: 'hundred.txt', startLine: 10, endLine: 12 })).toEqual([lines(3, 10), '[lines 10-12 of 100]']);
    expect(await items({ path: 'hundred.txt', head: 2 })).toEqual([lines(2), '[lines 1-2 of 100]']);
    expect(await items({ path: 'hundred.txt', startLine: 99, head: 5 })).toEqual([lines(2, 99), '[lines 99-100 of 100 (the file ends before the requested end)]']);
    expect(await items({ path: 'hundred.txt', tail: 3 })).toEqual([lines(3, 98), '[lines 98-100 of 100]']);
    expect(await items({ path: 'hundred.txt', startLine: 500 })).toEqual(['', '[no such lines: the file has 100 line(s)]']);
    expect((await fs.call('read_text_file', { path: 'hundred.txt', tail: 2, head: 2 })).text).toMatch(/cannot be combined/);
    expect((await fs.call('read_text_file', { path: 'hundred.txt', startLine: 5, endLine: 2 })).text).toMatch(/before startLine/);
  });

  it('cuts long output on a line boundary and the continuation hints reassemble the file exactly', async () => {
    const text = lines(1000);
    sb.put('long.txt', text);
    let start = 1;
    let assembled = '';
    for (let i = 0; i < 100; i++) {
      const [body, note] = await items({ path: 'long.txt', startLine: start });
      expect(Buffer.byteLength(body)).toBeLessThanOrEqual(1024);
      assembled += body;
      const next = /continue with startLine=(\d+)/.exec(note ?? '');
      if (!next) break;
      start = Number(next[1]);
    }
    expect(assembled).toBe(text);
  });

  it('cuts a single over-long line on a character boundary, never inside a character', async () => {
    sb.put('wide.txt', 'é'.repeat(2000) + '\nnext\n');
    const [body, note] = await items({ path: 'wide.txt' });
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(1024);
    expect(body).toBe('é'.repeat(body.length));
    expect(note).toMatch(/line 1 is longer than .* continue with startLine=2/);
    expect(await items({ path: 'wide.txt', startLine: 2 })).toEqual(['next\n', '[lines 2-2 of 2]']);
  });

  it('handles BOM, UTF-16 and invalid UTF-8, and refuses binary files', async () => {
    expect(await items({ path: 'bom.txt' })).toEqual(['with bom\n']);
    expect(await items({ path: 'utf16.txt' })).toEqual(['héllo\nwörld\n', '[decoded from utf-16le; the edit tools do not change such files]']);
    const [latin, note] = await items({ path: 'latin1.txt' });
    expect(latin).toBe('caf\ufffd\n');
    expect(note).toMatch(/not valid UTF-8/);
    expect((await fs.call('read_text_file', { path: 'binary.bin' })).text).toMatch(/binary file/);
  });

  it('returns images and audio as MCP media content, and refuses other files', async () => {
    const image = await fs.call('read_media_file', { path: 'pic.png' });
    expect(image.result.content).toEqual([{ type: 'image', mimeType: 'image/png', data: PNG.toString('base64') }]);
    const audio = await fs.call('read_media_file', { path: 'sound.wav' });
    expect(audio.result.content[0]).toMatchObject({ type: 'audio', mimeType: 'audio/wav' });
    expect(await fs.refused('read_media_file', { path: 'hundred.txt' })).toMatch(/not an image or audio file/);
  });

  it('reads several files, one failure not failing the others, all within one shared limit', async () => {
    const r = await fs.call('read_multiple_files', { paths: ['bom.txt', 'missing.txt', 'crlf.txt', '../outside/secret.txt'] });
    expect(r.isError).toBe(false);
    const texts = r.result.content.map((c: { text: string }) => c.text);
    expect(texts[0]).toBe('==> bom.txt <==\nwith bom\n');
    expect(texts[1]).toMatch(/^==> missing.txt <==\n\[error: missing.txt: no such file or directory\]/);
    expect(texts[2]).toBe('==> crlf.txt <==\na\r\nb\r\nc\r\n');
    expect(texts[3]).toMatch(/outside the allowed roots/);
    const big = await fs.call('read_multiple_files', { paths: ['hundred.txt', 'hundred.txt', 'bom.txt'] });
    const bodies = big.result.content.map((c: { text: string }) => c.text);
    expect(bodies[0]).toBe(`==> hundred.txt <==\n${lines(100)}`);
    expect(bodies[1]).toMatch(/continue with startLine=/);
    expect(bodies[2]).toMatch(/not read: the response is full/);
  });

  it('parses JSON, multi-document YAML (with Kubernetes summaries) and TOML; names parse errors', async () => {
    const json = await fs.call('read_structured', { path: 'data.json' });
    expect(json.result.structuredContent).toEqual({ format: 'json', documents: [{ summary: 'object with keys name, list', data: { name: 'demo', list: [1, 2, 3] } }] });
    const yaml = await fs.call('read_structured', { path: 'k8s.yaml' });
    expect(yaml.text).toContain('YAML, 2 documents:\n1. Deployment/web (namespace prod)\n2. Service/web');
    expect(yaml.result.structuredContent.documents[1].data).toEqual({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' } });
    const toml = await fs.call('read_structured', { path: 'conf.toml' });
    expect(toml.result.structuredContent.documents[0].data).toEqual({ title: 'x', server: { port: 8080 } });
    expect(await fs.refused('read_structured', { path: 'bad.yaml' })).toMatch(/invalid YAML/);
    expect(await fs.refused('read_structured', { path: 'bad.json' })).toMatch(/invalid JSON/);
    expect(await fs.refused('read_structured', { path: 'hundred.txt' })).toMatch(/not a \.json/);
  });

  it('describes files and folders', async () => {
    chmodSync(join(sb.root, 'crlf.txt'), 0o640);
    const info = (await fs.call('get_file_info', { path: 'crlf.txt' })).result.structuredContent;
    expect(info).toMatchObject({ type: 'file', size: 9, text: true, encoding: 'utf-8', bom: false, lineEndings: 'crlf', lines: 3, permissions: '-rw-r----- (0640)' });
    expect((await fs.call('get_file_info', { path: 'bom.txt' })).result.structuredContent).toMatchObject({ bom: true, lineEndings: 'lf' });
    expect((await fs.call('get_file_info', { path: 'binary.bin' })).result.structuredContent).toMatchObject({ text: false });
    expect((await fs.call('get_file_info', { path: '.' })).result.structuredContent).toMatchObject({ type: 'directory', path: sb.root });
  });

  it('lists the roots and offers only the read tools by default', async () => {
    const text = await fs.ok('list_roots', {});
    expect(text).toContain(sb.root);
    expect(text).toMatch(/read-only/);
    const { tools } = await fs.client.listTools();
    const names = tools.filter((t) => t.name.startsWith('files__')).map((t) => t.name.slice(7)).sort();
    expect(names).toEqual(['directory_tree', 'find_files', 'get_file_info', 'list_directory', 'list_roots', 'read_media_file', 'read_multiple_files', 'read_structured', 'read_text_file', 'search_content']);
    for (const t of tools.filter((x) => x.name.startsWith('files__'))) {
      expect(t.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false, openWorldHint: false });
    }
  });
});
