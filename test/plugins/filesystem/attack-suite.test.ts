// The attack suite: a hostile model's path tricks against a read-write instance. Every refusal also checks
// the state afterwards: nothing outside the root changed, nothing was created, the target is unchanged.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeBinaries } from '../../helpers/node-binaries.js';
import { createSandbox, snapshot, startFsHost, type FsHost, type FsSandbox } from './fs-harness.js';

function hasCommand(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe.each(nodeBinaries())('filesystem attack suite ($label)', ({ path: node }) => {
  let sb: FsSandbox;
  let fs: FsHost;
  let socketServer: Server | undefined;
  let outsideBefore: Record<string, string>;
  let evilBefore: Record<string, string>;

  beforeAll(async () => {
    sb = createSandbox();
    sb.put('ok.txt', 'fine\n');
    sb.put('.env', 'SECRET=1\n');
    sb.put('keys/id_rsa', 'PRIVATE KEY\n');
    sb.put('.ssh/config', 'Host *\n');
    sb.put('sub/inner.txt', 'inner\n');
    sb.put('.git/config', '[core]\n');
    mkdirSync(join(sb.root, '.git', 'hooks'));
    symlinkSync(join(sb.outside, 'secret.txt'), join(sb.root, 'link-out-file'));
    symlinkSync(sb.outside, join(sb.root, 'link-out-dir'));
    symlinkSync('../../outside', join(sb.root, 'sub', 'up-link'));
    symlinkSync(join(sb.outside, 'new-file.txt'), join(sb.root, 'dangling'));
    symlinkSync(join(sb.outside, 'newdir'), join(sb.root, 'dangling-dir'));
    symlinkSync('loop2', join(sb.root, 'loop1'));
    symlinkSync('loop1', join(sb.root, 'loop2'));
    symlinkSync('.env', join(sb.root, 'alias.txt'));
    symlinkSync('ok.txt', join(sb.root, 'inside-link.txt'));
    if (hasCommand('mkfifo')) execFileSync('mkfifo', [join(sb.root, 'fifo')]);
    socketServer = createServer();
    await new Promise<void>((resolve) => socketServer!.listen(join(sb.root, 'sock'), resolve));
    outsideBefore = snapshot(sb.outside);
    evilBefore = snapshot(sb.evil);
    fs = await startFsHost(sb, { readOnly: false }, { node });
  });

  afterAll(async () => {
    await fs?.close();
    socketServer?.close();
    sb?.cleanup();
  });

  const outsideUnchanged = () => {
    expect(snapshot(sb.outside)).toEqual(outsideBefore);
    expect(snapshot(sb.evil)).toEqual(evilBefore);
  };

  it('refuses traversal out of the root, relative and absolute, for every kind of tool', async () => {
    for (const path of ['../outside/secret.txt', 'sub/../../outside/secret.txt', join(sb.outside, 'secret.txt'), '/etc/passwd', '~/.bashrc', '..']) {
      expect(await fs.refused('read_text_file', { path })).toMatch(/outside the allowed roots/);
    }
    expect(await fs.refused('list_directory', { path: '..' })).toMatch(/outside the allowed roots/);
    expect(await fs.refused('find_files', { pattern: '*', path: sb.outside })).toMatch(/outside the allowed roots/);
    expect(await fs.refused('search_content', { pattern: 'SECRET', path: '../outside' })).toMatch(/outside the allowed roots/);
    expect(await fs.refused('write_file', { path: '../outside/pwn.txt', content: 'x' })).toMatch(/outside the allowed roots/);
    expect(await fs.refused('create_directory', { path: '../outside/pwn' })).toMatch(/outside the allowed roots/);
    expect(await fs.refused('move_file', { from: 'ok.txt', to: '../outside/ok.txt' })).toMatch(/outside the allowed roots/);
    expect(await fs.refused('move_file', { from: '../outside/secret.txt', to: 'stolen.txt' })).toMatch(/outside the allowed roots/);
    outsideUnchanged();
    expect(existsSync(join(sb.root, 'stolen.txt'))).toBe(false);
    expect(readFileSync(join(sb.root, 'ok.txt'), 'utf8')).toBe('fine\n');
  });

  it('compares on separator boundaries: a sibling folder sharing the root\'s name prefix is outside', async () => {
    const target = join(sb.evil, 'secret.txt');
    expect(await fs.refused('read_text_file', { path: target })).toMatch(/outside the allowed roots/);
    expect(await fs.refused('read_text_file', { path: '../root_evil/secret.txt' })).toMatch(/outside the allowed roots/);
    expect(await fs.refused('list_directory', { path: sb.evil })).toMatch(/outside the allowed roots/);
    expect(await fs.refused('write_file', { path: join(sb.evil, 'pwn.txt'), content: 'x' })).toMatch(/outside the allowed roots/);
    expect(await fs.refused('write_file', { path: target, content: 'x' })).toMatch(/outside the allowed roots/);
    outsideUnchanged();
  });

  it('refuses links that lead out of the root, directly or through a parent folder', async () => {
    expect(await fs.refused('read_text_file', { path: 'link-out-file' })).toMatch(/outside the allowed roots/);
    expect(await fs.refused('read_text_file', { path: 'link-out-dir/secret.txt' })).toMatch(/outside the allowed roots/);
    expect(await fs.refused('read_text_file', { path: 'sub/up-link/secret.txt' })).toMatch(/outside the allowed roots/);
    expect(await fs.refused('get_file_info', { path: 'link-out-file' })).toMatch(/outside the allowed roots/);
    expect(await fs.refused('list_directory', { path: 'link-out-dir' })).toMatch(/outside the allowed roots/);
    const multi = await fs.ok('read_multiple_files', { paths: ['ok.txt', 'link-out-file'] });
    expect(multi).toContain('fine');
    expect(multi).not.toContain('OUTSIDE SECRET');
    // Walks never follow links.
    expect(await fs.ok('directory_tree', { path: '.' })).not.toContain('secret.txt');
    expect(await fs.ok('find_files', { pattern: 'secret*' })).not.toContain('secret.txt');
    expect(await fs.ok('search_content', { pattern: 'OUTSIDE SECRET' })).toMatch(/0 matching lines/);
    // A link that stays inside the root is fine.
    expect(await fs.ok('read_text_file', { path: 'inside-link.txt' })).toBe('fine\n');
    outsideUnchanged();
  });

  it('never writes through a link: not through a link file, a linked folder, or a link in a parent', async () => {
    expect(await fs.refused('write_file', { path: 'link-out-file', content: 'pwned' })).toMatch(/symbolic link/);
    expect(await fs.refused('edit_file', { path: 'link-out-file', edits: [{ oldText: 'OUTSIDE', newText: 'PWNED' }] })).toMatch(/symbolic link/);
    expect(await fs.refused('write_file', { path: 'link-out-dir/pwn.txt', content: 'pwned' })).toMatch(/outside the allowed roots/);
    expect(await fs.refused('write_file', { path: 'sub/up-link/pwn.txt', content: 'pwned' })).toMatch(/outside the allowed roots/);
    expect(await fs.refused('create_directory', { path: 'link-out-dir/newdir' })).toMatch(/outside the allowed roots/);
    expect(await fs.refused('move_file', { from: 'ok.txt', to: 'link-out-dir/ok.txt' })).toMatch(/outside the allowed roots/);
    expect(await fs.refused('move_file', { from: 'link-out-dir/secret.txt', to: 'got.txt' })).toMatch(/outside the allowed roots/);
    expect(await fs.refused('write_file', { path: 'inside-link.txt', content: 'x' })).toMatch(/symbolic link/);
    outsideUnchanged();
    expect(readFileSync(join(sb.root, 'ok.txt'), 'utf8')).toBe('fine\n');
    expect(existsSync(join(sb.root, 'got.txt'))).toBe(false);
  });

  it('refuses dangling-link writes: nothing is created where the link points', async () => {
    expect(await fs.refused('write_file', { path: 'dangling', content: 'x' })).toMatch(/symbolic link/);
    expect(await fs.refused('write_file', { path: 'dangling', content: 'x', createOnly: true })).toMatch(/symbolic link|exists/);
    expect(await fs.refused('write_file', { path: 'dangling-dir/x.txt', content: 'x' })).toMatch(/dangling symbolic link/);
    expect(await fs.refused('create_directory', { path: 'dangling-dir/y' })).toMatch(/dangling symbolic link/);
    expect(await fs.refused('create_directory', { path: 'dangling-dir' })).toMatch(/symbolic link|not a folder/);
    expect(await fs.refused('move_file', { from: 'ok.txt', to: 'dangling' })).toMatch(/symbolic link/);
    expect(existsSync(join(sb.outside, 'new-file.txt'))).toBe(false);
    expect(existsSync(join(sb.outside, 'newdir'))).toBe(false);
    outsideUnchanged();
  });

  it('answers link loops with an error, without hanging', async () => {
    expect(await fs.refused('read_text_file', { path: 'loop1' })).toMatch(/link loop|symbolic links/);
    expect(await fs.refused('read_text_file', { path: 'loop1/x' })).toMatch(/link loop|symbolic links|outside/);
    expect(await fs.refused('write_file', { path: 'loop2', content: 'x' })).toMatch(/symbolic link/);
    expect(await fs.ok('directory_tree', { path: '.' })).toContain('loop1@');
  });

  it('refuses NUL bytes in any path before touching the disk', async () => {
    expect(await fs.refused('read_text_file', { path: 'ok.txt\u0000../../outside/secret.txt' })).toMatch(/NUL/);
    expect(await fs.refused('write_file', { path: 'nul\u0000.txt', content: 'x' })).toMatch(/NUL/);
    expect(await fs.refused('move_file', { from: 'ok.txt', to: 'a\u0000b' })).toMatch(/NUL/);
    expect(existsSync(join(sb.root, 'nul'))).toBe(false);
    expect(readFileSync(join(sb.root, 'ok.txt'), 'utf8')).toBe('fine\n');
  });

  it.skipIf(!hasCommand('mkfifo'))('refuses FIFOs without blocking on them, and searches skip them', async () => {
    expect(await fs.refused('read_text_file', { path: 'fifo' })).toMatch(/FIFO/);
    expect(await fs.refused('write_file', { path: 'fifo', content: 'x' })).toMatch(/not a regular file/);
    expect(await fs.refused('read_structured', { path: 'fifo' })).toMatch(/FIFO|not a \.json/);
    expect(await fs.ok('get_file_info', { path: 'fifo' })).toMatch(/type: FIFO/);
    expect(await fs.ok('search_content', { pattern: 'fine' })).toMatch(/1 matching line/);
  });

  it('refuses sockets and devices', async () => {
    expect(await fs.refused('read_text_file', { path: 'sock' })).toMatch(/socket/);
    symlinkSync('/dev/zero', join(sb.root, 'zero'));
    expect(await fs.refused('read_text_file', { path: 'zero' })).toMatch(/outside the allowed roots/);
    if (process.getuid?.() === 0 && hasCommand('mknod')) {
      execFileSync('mknod', [join(sb.root, 'null-device'), 'c', '1', '3']);
      expect(await fs.refused('read_text_file', { path: 'null-device' })).toMatch(/character device/);
      expect(await fs.refused('write_file', { path: 'null-device', content: 'x' })).toMatch(/not a regular file/);
    }
  });

  it('caps huge files: a bounded answer that says how to continue, and media over the limit refused', async () => {
    const line = 'x'.repeat(99) + '\n';
    sb.put('huge.txt', line.repeat(200_000)); // 20 MB
    const read = await fs.call('read_text_file', { path: 'huge.txt' });
    expect(read.isError).toBe(false);
    const [body, note] = read.result.content.map((c: { text: string }) => c.text);
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(256 * 1024);
    expect(body.endsWith('\n')).toBe(true);
    const shown = body.split('\n').length - 1;
    expect(note).toContain(`continue with startLine=${shown + 1}`);
    const tail = await fs.call('read_text_file', { path: 'huge.txt', tail: 2 });
    expect(tail.result.content[0].text).toBe(line + line);
    sb.put('big.png', Buffer.alloc(6 * 1024 * 1024));
    expect(await fs.refused('read_media_file', { path: 'big.png' })).toMatch(/over the 5\.0 MiB media limit/);
  });

  it('applies the deny globs to reads, listings, searches, writes and links pointing at denied files', async () => {
    for (const path of ['.env', 'keys/id_rsa', '.ssh/config', 'alias.txt', '.ENV']) {
      expect(await fs.refused('read_text_file', { path })).toMatch(/deny rule|no such file/);
    }
    expect(await fs.refused('read_text_file', { path: '.env' })).toMatch(/refused by the deny rule "\.env\*"/);
    const listing = await fs.ok('list_directory', { path: '.' });
    expect(listing).not.toMatch(/\.env|\.ssh/);
    expect(await fs.ok('find_files', { pattern: '*' })).not.toMatch(/\.env|id_rsa|\.ssh/);
    expect(await fs.ok('search_content', { pattern: 'SECRET=1' })).toMatch(/0 matching lines/);
    expect(await fs.ok('search_content', { pattern: 'PRIVATE KEY' })).toMatch(/0 matching lines/);
    expect(await fs.refused('write_file', { path: '.env.local', content: 'x' })).toMatch(/deny rule/);
    expect(await fs.refused('write_file', { path: 'sub/server.PEM', content: 'x' })).toMatch(/deny rule/);
    expect(await fs.refused('move_file', { from: 'ok.txt', to: '.env' })).toMatch(/deny rule/);
    expect(await fs.refused('move_file', { from: '.env', to: 'plain.txt' })).toMatch(/deny rule/);
    expect(existsSync(join(sb.root, '.env.local'))).toBe(false);
    expect(existsSync(join(sb.root, 'plain.txt'))).toBe(false);
    expect(readFileSync(join(sb.root, '.env'), 'utf8')).toBe('SECRET=1\n');
  });

  it('refuses writes inside .git (hooks, config) while reading it stays allowed', async () => {
    expect(await fs.refused('write_file', { path: '.git/hooks/pre-commit', content: '#!/bin/sh\necho pwned\n' })).toMatch(/\.git/);
    expect(await fs.refused('write_file', { path: '.git/config', content: '[core]\nhooksPath = /tmp\n' })).toMatch(/\.git/);
    expect(await fs.refused('create_directory', { path: '.git/hooks/more' })).toMatch(/\.git/);
    expect(await fs.refused('move_file', { from: 'sub', to: '.git/hooks2' })).toMatch(/\.git/);
    expect(await fs.refused('move_file', { from: '.git', to: 'git-moved' })).toMatch(/\.git/);
    expect(await fs.refused('write_file', { path: 'sub/.git', content: 'gitdir: /tmp/elsewhere\n' })).toMatch(/\.git/);
    expect(existsSync(join(sb.root, '.git', 'hooks', 'pre-commit'))).toBe(false);
    expect(readFileSync(join(sb.root, '.git', 'config'), 'utf8')).toBe('[core]\n');
    expect(existsSync(join(sb.root, 'sub', 'inner.txt'))).toBe(true);
    expect(await fs.ok('read_text_file', { path: '.git/config' })).toBe('[core]\n');
  });

  it('refuses resource reads and subscriptions outside the root', async () => {
    const read = (p: string) => fs.client.readResource({ uri: `file://files/${p}` });
    await expect(read(join(sb.outside, 'secret.txt'))).rejects.toThrow(/outside the allowed roots/);
    await expect(read(join(sb.root, 'link-out-file'))).rejects.toThrow(/outside the allowed roots/);
    await expect(read(join(sb.root, '.env'))).rejects.toThrow(/deny rule/);
    await expect(fs.client.subscribeResource({ uri: `file://files/${join(sb.outside, 'secret.txt')}` })).rejects.toThrow(/outside the allowed roots/);
    const ok = await read(join(sb.root, 'ok.txt'));
    expect(ok.contents[0]).toMatchObject({ text: 'fine\n' });
  });

  it('left no temp files behind and wrote nothing outside', async () => {
    outsideUnchanged();
    const leftovers = Object.keys(snapshot(sb.root)).filter((p) => p.endsWith('.tmp'));
    expect(leftovers).toEqual([]);
    expect(fs.host.badStdout).toEqual([]);
  });
});
