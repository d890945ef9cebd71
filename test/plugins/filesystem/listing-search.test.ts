// Listing and searching: paging, trees, globs, ignore rules, content search with its caps and limits.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, startFsHost, type FsHost, type FsSandbox } from './fs-harness.js';

function bodyLines(text: string): string[] {
  return text.split('\n').filter((l) => l.startsWith('/'));
}

describe('filesystem listing and search tools', () => {
  let sb: FsSandbox;
  let fs: FsHost;
  beforeAll(async () => {
    sb = createSandbox();
    sb.put('src/index.ts', 'export const main = () => call(a.b);\n');
    sb.put('src/util.ts', 'function Helper() {}\n// TODO: later\n');
    sb.put('src/deep/x.test.ts', 'test("Needle", () => {});\nline two\nline three\nneedle again\nline five\n');
    sb.put('README.md', '# Project\nneedle in the readme\n');
    sb.put('.gitignore', '# build output\ndist/\n*.log\n!keep.log\n/coverage\nbuild/\n');
    sb.put('coverage/c.ts', '');
    sb.put('src/coverage/c2.ts', '');
    sb.put('build', 'a file named build\n');
    sb.put('src/build/b.ts', '');
    sb.put('dist/out.ts', 'needle in build output\n');
    sb.put('debug.log', 'needle in a log\n');
    sb.put('keep.log', 'needle kept\n');
    sb.put('pkg/.gitignore', 'generated.ts\n');
    sb.put('pkg/generated.ts', 'needle generated\n');
    sb.put('pkg/real.ts', 'real\n');
    sb.put('node_modules/lib/index.ts', 'needle in a dependency\n');
    sb.put('bin/data.bin', Buffer.concat([Buffer.from('needle'), Buffer.from([0, 1, 2])]));
    const many = join(sb.root, 'many');
    mkdirSync(many);
    for (let i = 0; i < 1200; i++) writeFileSync(join(many, `f${String(i).padStart(4, '0')}.txt`), '');
    fs = await startFsHost(sb);
  });
  afterAll(async () => {
    await fs?.close();
    sb?.cleanup();
  });

  it('lists a folder with kinds and sizes, hiding nothing but denied entries', async () => {
    sb.put('.env', 'X=1\n');
    const text = await fs.ok('list_directory', { path: '.', sizes: true });
    expect(text).toContain('[DIR] src');
    expect(text).toContain('[FILE] README.md  31 B');
    expect(text).toContain('[DIR] node_modules');
    expect(text).toContain('[FILE] debug.log');
    expect(text).not.toContain('.env');
  });

  it('pages a large folder with a cursor: every entry exactly once', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const r = await fs.call('list_directory', { path: 'many', ...(cursor ? { cursor } : {}) });
      expect(r.isError).toBe(false);
      seen.push(...r.text.split('\n').filter((l) => l.startsWith('[FILE]')).map((l) => l.slice(7)));
      cursor = r.result.structuredContent?.nextCursor;
      if (!cursor) break;
      expect(r.text).toContain(`cursor="${cursor}"`);
    }
    expect(seen.length).toBe(1200);
    expect(new Set(seen).size).toBe(1200);
    expect(await fs.refused('list_directory', { path: 'src', cursor: 'bogus' })).toMatch(/cursor/);
  });

  it('draws a depth-limited tree that leaves out ignored files, node_modules and .git', async () => {
    const text = await fs.ok('directory_tree', { path: '.', depth: 2, maxEntries: 5000 });
    expect(text).toContain('  src/\n    coverage/\n    deep/\n    index.ts\n');
    expect(text).not.toContain('x.test.ts');
    expect(text).not.toMatch(/dist|debug\.log|node_modules|generated\.ts/);
    expect(text).toContain('keep.log');
    // Level by level: a capped tree still shows the whole top level.
    const cut = await fs.ok('directory_tree', { path: '.', maxEntries: 8 });
    expect(cut).toMatch(/stopped at maxEntries=8/);
    expect(cut).toContain('  src/\n');
    expect(cut).not.toContain('f0000.txt');
  });

  it('finds files by glob: names at any depth, paths with /, scoped, capped', async () => {
    const ts = bodyLines(await fs.ok('find_files', { pattern: '*.ts' }));
    // Ignored: dist/ (folder rule), /coverage (anchored: only at the top), build/ (folders only), generated.ts (nested .gitignore).
    expect(ts).toEqual([
      join(sb.root, 'pkg/real.ts'),
      join(sb.root, 'src/coverage/c2.ts'),
      join(sb.root, 'src/deep/x.test.ts'),
      join(sb.root, 'src/index.ts'),
      join(sb.root, 'src/util.ts'),
    ]);
    expect(bodyLines(await fs.ok('find_files', { pattern: 'build' }))).toEqual([join(sb.root, 'build')]);
    expect(bodyLines(await fs.ok('find_files', { pattern: 'src/**/*.test.ts' }))).toEqual([join(sb.root, 'src/deep/x.test.ts')]);
    expect(bodyLines(await fs.ok('find_files', { pattern: '*.ts', path: 'src/deep' }))).toEqual([join(sb.root, 'src/deep/x.test.ts')]);
    expect(bodyLines(await fs.ok('find_files', { pattern: 'deep' }))).toEqual([`${join(sb.root, 'src/deep')}/`]);
    const capped = await fs.ok('find_files', { pattern: '*.txt', maxResults: 10 });
    expect(bodyLines(capped)).toHaveLength(10);
    expect(capped).toMatch(/more paths match/);
    expect(bodyLines(await fs.ok('find_files', { pattern: '*.log' }))).toEqual([join(sb.root, 'keep.log')]);
  });

  it('searches contents: literal by default, regex on request, smart case, context lines', async () => {
    const literal = await fs.ok('search_content', { pattern: 'call(a.b)' });
    expect(literal).toContain(`${join(sb.root, 'src/index.ts')}\n1: export const main = () => call(a.b);`);
    expect(await fs.ok('search_content', { pattern: 'call(a.b)', regex: true })).toMatch(/0 matching lines/);
    expect(await fs.ok('search_content', { pattern: 'function\\s+\\w+\\(', regex: true })).toContain('1: function Helper() {}');
    // Smart case: lower-case pattern matches both; an upper-case letter makes it exact.
    const smart = await fs.ok('search_content', { pattern: 'needle' });
    expect(smart).toContain('1: test("Needle", () => {});');
    expect(smart).toContain('4: needle again');
    const exact = await fs.ok('search_content', { pattern: 'Needle' });
    expect(exact).toContain('1: test("Needle"');
    expect(exact).not.toContain('needle again');
    expect(await fs.ok('search_content', { pattern: 'needle', caseSensitive: true, path: 'src' })).not.toContain('Needle');
    const context = await fs.ok('search_content', { pattern: 'needle again', contextLines: 1 });
    expect(context).toContain('3- line three\n4: needle again\n5- line five');
  });

  it('skips ignored files, node_modules and binary files; filters by glob and path', async () => {
    const all = await fs.ok('search_content', { pattern: 'needle' });
    expect(all).not.toMatch(/build output|a log|generated|dependency/);
    expect(all).toContain('needle kept');
    expect(all).toMatch(/skipped files: 1 binary/);
    const md = await fs.ok('search_content', { pattern: 'needle', glob: '*.md' });
    expect(bodyLines(md)).toEqual([join(sb.root, 'README.md')]);
    const one = await fs.ok('search_content', { pattern: 'line', path: 'src/deep/x.test.ts' });
    expect(one).toMatch(/3 matching lines in 1 file \(1 files searched\)/);
  });

  it('stops at maxResults and says so', async () => {
    const capped = await fs.ok('search_content', { pattern: 'line', maxResults: 2 });
    expect(capped).toMatch(/2 matching lines/);
    expect(capped).toMatch(/stopped at maxResults=2/);
  });

  it('rejects an invalid regular expression', async () => {
    expect(await fs.refused('search_content', { pattern: '(unclosed', regex: true })).toMatch(/invalid regular expression/);
  });
});

describe('filesystem search time limit', () => {
  let sb: FsSandbox;
  let fs: FsHost;
  beforeAll(async () => {
    sb = createSandbox();
    sb.put('redos.txt', `${'a'.repeat(40)}b\n`);
    sb.put('todo.txt', '// TODO: later\n');
    fs = await startFsHost(sb, { searchTimeoutMs: 1000 });
  });
  afterAll(async () => {
    await fs?.close();
    sb?.cleanup();
  });

  it('a catastrophic regular expression is stopped at searchTimeoutMs and the search workers keep working', async () => {
    const slow = await fs.call('search_content', { pattern: '(a+)+$', regex: true, path: 'redos.txt' });
    expect(slow.isError).toBe(false);
    expect(slow.text).toMatch(/stopped after 1000 ms/);
    expect(await fs.ok('search_content', { pattern: 'later', path: 'todo.txt' })).toContain('1: // TODO: later');
  });
});

describe('filesystem walks with respectGitignore off', () => {
  let sb: FsSandbox;
  let fs: FsHost;
  beforeAll(async () => {
    sb = createSandbox();
    sb.put('.gitignore', 'dist/\n');
    sb.put('dist/out.js', 'needle\n');
    sb.put('node_modules/x/index.js', 'needle\n');
    sb.put('src/a.js', 'needle\n');
    fs = await startFsHost(sb, { respectGitignore: false });
  });
  afterAll(async () => {
    await fs?.close();
    sb?.cleanup();
  });

  it('includes ignored files and node_modules', async () => {
    expect(bodyLines(await fs.ok('find_files', { pattern: '*.js' }))).toHaveLength(3);
    expect(await fs.ok('search_content', { pattern: 'needle' })).toMatch(/3 matching lines in 3 files/);
  });
});
