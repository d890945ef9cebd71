import { FsError } from '../safety/fs-error.js';
import { READ_ONLY, type ToolFactory } from '../services.js';
import { textResult } from '../util/result.js';
import { intProp, objectSchema, pathProp } from '../util/schema.js';
import { readText } from './read-text.js';

interface Args {
  path: string;
  startLine?: number;
  endLine?: number;
  head?: number;
  tail?: number;
}

export const readTextFile: ToolFactory = (s) => ({
  name: 'read_text_file',
  title: 'Read a text file',
  description:
    'Reads a text file (UTF-8; UTF-16 with a BOM is decoded). Optional: a line range (startLine/endLine, 1-based, inclusive), or the first (head) or last (tail) N lines. ' +
    'Long output is cut on a line boundary at the response limit and a note says how to continue. Binary files are refused.',
  inputSchema: objectSchema(
    {
      path: pathProp('File path, absolute or relative to the first root'),
      startLine: intProp('First line to return (1-based)', 1, Number.MAX_SAFE_INTEGER),
      endLine: intProp('Last line to return (inclusive)', 1, Number.MAX_SAFE_INTEGER),
      head: intProp('Return only the first N lines (from startLine when given)', 1, Number.MAX_SAFE_INTEGER),
      tail: intProp('Return only the last N lines', 1, Number.MAX_SAFE_INTEGER),
    },
    ['path'],
  ),
  annotations: READ_ONLY,
  handler: async (args: Args) => {
    if (args.tail !== undefined && (args.head !== undefined || args.startLine !== undefined || args.endLine !== undefined)) {
      throw new FsError('tail cannot be combined with head, startLine or endLine');
    }
    if (args.head !== undefined && args.endLine !== undefined) throw new FsError('head cannot be combined with endLine');
    if (args.startLine !== undefined && args.endLine !== undefined && args.endLine < args.startLine) throw new FsError('endLine is before startLine');
    const { roots } = await s.roots.effective();
    const target = s.resolver.existing(args.path, roots);
    const read = readText(target.real, args.path, args, s.config.maxReadBytes);
    return textResult(read.text, read.note ? [read.note] : []);
  },
});
