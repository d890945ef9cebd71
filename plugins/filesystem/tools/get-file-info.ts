import { lstatSync, type Stats } from 'node:fs';
import { withVerified } from '../safety/verified-open.js';
import { kindOf } from '../safety/verified-open.js';
import { READ_ONLY, type ToolFactory } from '../services.js';
import { decodeText, formatBytes, lineEnding, textShape } from '../text/encoding.js';
import { countLines, readRange } from '../text/line-window.js';
import { objectSchema, pathProp } from '../util/schema.js';

/** Files up to this size get a line count and a line-ending check (the whole file is read). */
const FULL_TEXT_INFO = 8 * 1024 * 1024;

export const getFileInfo: ToolFactory = (s) => ({
  name: 'get_file_info',
  title: 'File or folder details',
  description: 'Details of a file or folder: type, size, times, permissions; for files also whether it is text, its encoding, BOM, line endings and line count.',
  inputSchema: objectSchema({ path: pathProp('File or folder path') }, ['path']),
  annotations: READ_ONLY,
  handler: async (args: { path: string }) => {
    const { roots } = await s.roots.effective();
    const target = s.resolver.existing(args.path, roots);
    const stat = lstatSync(target.real);
    const info: Record<string, unknown> = {
      path: target.real,
      type: kindOf(stat),
      size: stat.size,
      modified: stat.mtime.toISOString(),
      created: stat.birthtime.toISOString(),
      accessed: stat.atime.toISOString(),
      permissions: `${modeString(stat)} (${(stat.mode & 0o7777).toString(8).padStart(4, '0')})`,
      owner: { uid: stat.uid, gid: stat.gid },
      links: stat.nlink,
    };
    if (stat.isFile()) Object.assign(info, textInfo(target.real, args.path));
    const lines = Object.entries(info).map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : k === 'size' ? `${v} (${formatBytes(Number(v))})` : v}`);
    return { content: [{ type: 'text', text: lines.join('\n') }], structuredContent: info };
  },
});

function textInfo(real: string, shown: string): Record<string, unknown> {
  return withVerified(real, 'file', shown, ({ fd, stat }) => {
    const whole = stat.size <= FULL_TEXT_INFO;
    const bytes = readRange(fd, 0, whole ? stat.size : 64 * 1024);
    const shape = textShape(bytes, !whole);
    if (shape.binary) return { text: false };
    const out: Record<string, unknown> = { text: true, encoding: shape.encoding, bom: shape.bom };
    if (shape.encoding === 'utf-8') out.validUtf8 = shape.validUtf8;
    if (whole) {
      const text = decodeText(bytes, shape);
      out.lineEndings = lineEnding(text);
      out.lines = shape.encoding === 'utf-8' ? countLines(shape.bom ? bytes.subarray(3) : bytes) : countLines(Buffer.from(text));
    }
    return out;
  });
}

function modeString(stat: Stats): string {
  const m = stat.mode;
  const type = stat.isDirectory() ? 'd' : stat.isSymbolicLink() ? 'l' : '-';
  const bits = [0o400, 0o200, 0o100, 0o40, 0o20, 0o10, 0o4, 0o2, 0o1];
  return type + bits.map((b, i) => (m & b ? 'rwx'[i % 3] : '-')).join('');
}
