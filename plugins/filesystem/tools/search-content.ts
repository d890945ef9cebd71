import { FsError } from '../safety/fs-error.js';
import { resolveCase } from '../scan/matcher.js';
import { searchContent as runSearch, type SearchResult } from '../scan/search.js';
import { READ_ONLY, type ToolFactory } from '../services.js';
import { formatBytes } from '../text/encoding.js';
import { intProp, objectSchema, pathProp } from '../util/schema.js';
import { scanScopes } from './scan-scopes.js';

interface Args {
  pattern: string;
  regex?: boolean;
  caseSensitive?: boolean;
  path?: string;
  glob?: string;
  contextLines?: number;
  maxResults?: number;
}

export const searchContent: ToolFactory = (s) => ({
  name: 'search_content',
  title: 'Search file contents',
  description:
    'Searches text files for a literal string (or a JavaScript regular expression with regex: true), line by line like grep. Case: smart by default (case-insensitive unless the pattern has an upper-case letter). ' +
    'Output: each file\'s path, then "line: text" for matches and "line- text" for context lines. Skips binary files, and with ignore rules on, .gitignore matches, node_modules and .git.',
  inputSchema: objectSchema(
    {
      pattern: { type: 'string', minLength: 1, maxLength: 1000, description: 'Text (or regular expression) to find' },
      regex: { type: 'boolean', default: false, description: 'Treat pattern as a JavaScript regular expression' },
      caseSensitive: { type: 'boolean', description: 'Default: smart case' },
      path: pathProp('File or folder to search (default: every root)'),
      glob: { type: 'string', minLength: 1, maxLength: 1000, description: 'Only files matching this glob, e.g. "*.ts" or "src/**/*.py"' },
      contextLines: { ...intProp('Lines of context around each match', 0, 20), default: 0 },
      maxResults: { ...intProp('Most matching lines to return', 1, 5000), default: 100 },
    },
    ['pattern'],
  ),
  annotations: READ_ONLY,
  handler: async (args: Args, extra) => {
    const maxResults = args.maxResults ?? 100;
    const contextLines = args.contextLines ?? 0;
    const matcher = { pattern: args.pattern, regex: args.regex ?? false, caseSensitive: resolveCase(args.pattern, args.caseSensitive) };
    if (matcher.regex) {
      try {
        new RegExp(args.pattern);
      } catch (error) {
        throw new FsError(`invalid regular expression: ${(error as Error).message}`);
      }
    }
    const { scopes, file } = await scanScopes(s, args.path);
    const result = await runSearch(s.pool, {
      scopes,
      files: file ? [file.real] : undefined,
      glob: args.glob,
      matcher,
      contextLines,
      maxResults,
      timeoutMs: s.config.searchTimeoutMs,
      signal: extra.signal,
    });
    if (result.errors.length > 0 && result.files.length === 0 && result.searched === 0 && !result.stopped) {
      throw new FsError(`search_content failed: ${result.errors[0]}`);
    }
    return { content: [{ type: 'text', text: format(result, maxResults, s.config.maxReadBytes, s.config.searchTimeoutMs) }] };
  },
});

function format(result: SearchResult, maxResults: number, cap: number, timeoutMs: number): string {
  const out: string[] = [];
  let bytes = 0;
  let shownLines = 0;
  let cut = false;
  for (const file of result.files) {
    const block: string[] = [file.path];
    for (const m of file.matches) {
      for (const [n, t] of m.before) block.push(`${n}- ${t}`);
      block.push(`${m.line}: ${m.text}`);
      for (const [n, t] of m.after) block.push(`${n}- ${t}`);
    }
    const text = block.join('\n');
    const size = Buffer.byteLength(text) + 2;
    if (bytes + size > cap) {
      cut = true;
      break;
    }
    bytes += size;
    shownLines += file.matches.length;
    out.push(text);
  }
  const shownFiles = out.length;
  const notes = [`${shownLines} matching line${shownLines === 1 ? '' : 's'} in ${shownFiles} file${shownFiles === 1 ? '' : 's'} (${result.searched} files searched)`];
  if (cut) notes.push(`cut at the ${formatBytes(cap)} response limit: narrow the search with path or glob`);
  if (result.more) notes.push(`stopped at maxResults=${maxResults}: more matches exist; narrow with path or glob, or raise maxResults`);
  if (result.stopped === 'timeout') notes.push(`stopped after ${timeoutMs} ms (searchTimeoutMs): results are partial`);
  if (result.stopped === 'cancelled') notes.push('cancelled: results are partial');
  const skipped = result.skipped;
  const skips = [skipped.binary && `${skipped.binary} binary`, skipped.large && `${skipped.large} over 32 MiB`, skipped.unreadable && `${skipped.unreadable} unreadable`].filter(Boolean);
  if (skips.length > 0) notes.push(`skipped files: ${skips.join(', ')}`);
  if (result.errors.length > 0 && !result.stopped) notes.push(`errors: ${result.errors.join('; ')}`);
  if (result.errors.length > 0 && result.stopped) notes.push('a search worker did not stop in time and was restarted (a very slow regular expression?)');
  return `${out.join('\n\n')}${out.length ? '\n\n' : ''}[${notes.join('; ')}]`;
}
