import { closeSync, lstatSync, readdirSync, type Dirent } from 'node:fs';
import { FsError } from '../safety/fs-error.js';
import { HAS_PROC_FD, openVerified } from '../safety/verified-open.js';
import { READ_ONLY, type ToolFactory } from '../services.js';
import { formatBytes } from '../text/encoding.js';
import { byCodeUnits } from '../util/result.js';
import { objectSchema, pathProp } from '../util/schema.js';

const PAGE = 500;

interface Args {
  path: string;
  sizes?: boolean;
  cursor?: string;
}

export const listDirectory: ToolFactory = (s) => ({
  name: 'list_directory',
  title: 'List a folder',
  description:
    `Lists a folder's entries by name, marked [DIR], [FILE], [LINK] or [OTHER]; sizes: true adds file sizes. ${PAGE} entries per page: when there are more, ` +
    'the answer ends with a cursor to pass back. Entries refused by the deny rules are not listed.',
  inputSchema: objectSchema(
    {
      path: pathProp('Folder path'),
      sizes: { type: 'boolean', description: 'Add file sizes and a total', default: false },
      cursor: { type: 'string', maxLength: 8192, description: 'From the previous page, to list the next one' },
    },
    ['path'],
  ),
  annotations: READ_ONLY,
  handler: async (args: Args) => {
    const { roots } = await s.roots.effective();
    const target = s.resolver.existing(args.path, roots);
    const after = args.cursor !== undefined ? decodeCursor(args.cursor, target.real) : undefined;
    const opened = openVerified(target.real, 'directory', args.path);
    let entries: Dirent[];
    try {
      entries = readdirSync(HAS_PROC_FD ? `/proc/self/fd/${opened.fd}` : target.real, { withFileTypes: true });
    } finally {
      closeSync(opened.fd);
    }
    const prefix = target.rel ? `${target.rel}/` : '';
    const visible = entries.filter((e) => !s.deny.match(prefix + e.name)).sort((a, b) => byCodeUnits(a.name, b.name));
    const start = after === undefined ? 0 : visible.findIndex((e) => e.name > after);
    const page = start < 0 ? [] : visible.slice(start, start + PAGE);
    let total = 0;
    const lines = page.map((e) => {
      const tag = e.isDirectory() ? '[DIR]' : e.isFile() ? '[FILE]' : e.isSymbolicLink() ? '[LINK]' : '[OTHER]';
      if (!args.sizes || !e.isFile()) return `${tag} ${e.name}`;
      let size = 0;
      try {
        size = lstatSync(`${target.real}/${e.name}`).size;
      } catch {}
      total += size;
      return `${tag} ${e.name}  ${formatBytes(size)}`;
    });
    const notes: string[] = [];
    const dirs = page.filter((e) => e.isDirectory()).length;
    notes.push(`${page.length} entries (${dirs} folders, ${page.length - dirs} other)${args.sizes ? `, files total ${formatBytes(total)}` : ''}`);
    const more = start >= 0 && start + PAGE < visible.length;
    let nextCursor: string | undefined;
    if (more) {
      nextCursor = Buffer.from(JSON.stringify({ p: target.real, a: page[page.length - 1].name })).toString('base64url');
      notes.push(`${visible.length - start - PAGE} more entries: call again with cursor="${nextCursor}"`);
    }
    const text = `${lines.join('\n')}${lines.length ? '\n' : '(empty)\n'}\n[${notes.join('; ')}]`;
    return { content: [{ type: 'text', text }], ...(nextCursor ? { structuredContent: { nextCursor } } : {}) };
  },
});

function decodeCursor(cursor: string, real: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { p?: unknown; a?: unknown };
    if (parsed.p === real && typeof parsed.a === 'string') return parsed.a;
  } catch {}
  throw new FsError('cursor does not belong to this folder listing; call without a cursor to start again');
}
