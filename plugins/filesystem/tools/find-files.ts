import { FsError } from '../safety/fs-error.js';
import { findFiles as runFind } from '../scan/find.js';
import { READ_ONLY, type ToolFactory } from '../services.js';
import { formatBytes } from '../text/encoding.js';
import { intProp, objectSchema, pathProp } from '../util/schema.js';
import { scanScopes } from './scan-scopes.js';

interface Args {
  pattern: string;
  path?: string;
  maxResults?: number;
}

export const findFiles: ToolFactory = (s) => ({
  name: 'find_files',
  title: 'Find files by glob',
  description:
    'Finds files and folders whose path matches a glob: "*.ts" (no "/": matches names at any depth), "src/**/*.test.ts" (with "/": matches the path below the searched folder), "{a,b}", "[abc]". ' +
    'Searches every root unless path is given; skips what .gitignore excludes, node_modules and .git (when ignore rules are on). Folders end in "/".',
  inputSchema: objectSchema(
    {
      pattern: { type: 'string', minLength: 1, maxLength: 1000, description: 'Glob' },
      path: pathProp('Folder to search (default: every root)'),
      maxResults: { ...intProp('Most paths to return', 1, 10000), default: 200 },
    },
    ['pattern'],
  ),
  annotations: READ_ONLY,
  handler: async (args: Args, extra) => {
    const maxResults = args.maxResults ?? 200;
    const { scopes, file } = await scanScopes(s, args.path);
    if (file) throw new FsError(`${args.path}: is a file; give a folder to search in`);
    const found = await runFind(s.pool, scopes, args.pattern, maxResults, s.config.searchTimeoutMs, extra.signal);
    if (found.errors.length > 0 && found.entries.length === 0) throw new FsError(`find_files failed: ${found.errors[0]}`);
    const lines: string[] = [];
    let bytes = 0;
    let shown = 0;
    for (const e of found.entries) {
      const line = e.dir ? `${e.path}/` : e.path;
      bytes += Buffer.byteLength(line) + 1;
      if (bytes > s.config.maxReadBytes) break;
      lines.push(line);
      shown++;
    }
    const notes = [`${shown} match${shown === 1 ? '' : 'es'} (${found.scanned} entries scanned)`];
    if (shown < found.entries.length) notes.push(`cut at the ${formatBytes(s.config.maxReadBytes)} response limit`);
    if (found.more) notes.push(`more paths match: narrow the pattern or path, or raise maxResults (now ${maxResults})`);
    if (found.stopped === 'timeout') notes.push(`stopped after ${s.config.searchTimeoutMs} ms (searchTimeoutMs): results are partial; narrow the path`);
    if (found.stopped === 'cancelled') notes.push('cancelled: results are partial');
    if (found.unreadable > 0) notes.push(`${found.unreadable} folder(s) could not be read`);
    return { content: [{ type: 'text', text: `${lines.join('\n')}${lines.length ? '\n\n' : ''}[${notes.join('; ')}]` }] };
  },
});
