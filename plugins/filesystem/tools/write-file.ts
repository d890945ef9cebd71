import { atomicWrite } from '../io/atomic-write.js';
import { safeMkdirs } from '../io/safe-mkdir.js';
import { FsError } from '../safety/fs-error.js';
import type { ToolFactory } from '../services.js';
import { decodeText, formatBytes, lineEnding } from '../text/encoding.js';
import { objectSchema, pathProp } from '../util/schema.js';
import { readCurrent, sha256, type CurrentFile } from './read-for-write.js';

interface Args {
  path: string;
  content: string;
  createOnly?: boolean;
  expectedSha256?: string;
}

export const writeFile: ToolFactory = (s) => ({
  name: 'write_file',
  title: 'Write a file',
  description:
    'Creates or replaces a file with the given text, atomically (readers never see half a file); missing parent folders are created. ' +
    'Replacing keeps the file\'s permissions, its CRLF line endings and its UTF-8 BOM. createOnly refuses to replace; expectedSha256 refuses unless the current content has that SHA-256 ' +
    '(returned by every write). A file that is not UTF-8 text is only replaced with expectedSha256.',
  inputSchema: objectSchema(
    {
      path: pathProp('File path'),
      content: { type: 'string', description: 'The full new content' },
      createOnly: { type: 'boolean', default: false, description: 'Fail if the file exists' },
      expectedSha256: { type: 'string', pattern: '^[0-9a-fA-F]{64}$', description: 'Replace only if the current content has this SHA-256' },
    },
    ['path', 'content'],
  ),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  handler: async (args: Args) => {
    const { roots } = await s.roots.effective();
    let target = s.resolver.forWrite(args.path, roots);
    if (target.existing && !target.existing.isFile()) throw new FsError(`${args.path}: exists and is not a regular file`);
    if (args.createOnly && target.existing) throw new FsError(`${args.path}: already exists (createOnly)`);
    let current: CurrentFile | undefined;
    const kept: string[] = [];
    let text = args.content;
    let bom = false;
    if (target.existing) {
      current = readCurrent(target.real, args.path);
      if (args.expectedSha256 && current.sha256 !== args.expectedSha256.toLowerCase()) {
        throw new FsError(`${args.path}: content changed (its SHA-256 is ${current.sha256}, not the expected one); nothing written`);
      }
      const shape = current.shape;
      if ((shape.binary || shape.encoding !== 'utf-8' || !shape.validUtf8) && !args.expectedSha256) {
        const what = shape.binary ? 'a binary file' : shape.encoding !== 'utf-8' ? `${shape.encoding} text` : 'not valid UTF-8';
        throw new FsError(
          `${args.path}: the current file is ${what}; writing would re-encode it. To replace it anyway pass expectedSha256="${current.sha256}"`,
        );
      }
      if (shape.encoding === 'utf-8' && !shape.binary && shape.validUtf8) {
        if (lineEnding(decodeText(current.bytes, shape)) === 'crlf' && lineEnding(text) !== 'crlf') {
          text = text.replace(/\r?\n/g, '\r\n');
          kept.push('CRLF line endings');
        }
        if (shape.bom && !text.startsWith('\uFEFF')) {
          bom = true;
          kept.push('the UTF-8 BOM');
        }
      }
      kept.push('permissions');
    } else if (args.expectedSha256) {
      throw new FsError(`${args.path}: does not exist, so it cannot have the expected SHA-256`);
    }
    let parentReal = target.parentReal;
    if (target.missing.length > 0) {
      parentReal = safeMkdirs(target.parentReal, target.missing, args.path);
      target = { ...target, parentReal, missing: [] };
    }
    const data = Buffer.concat([bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(text, 'utf8')]);
    atomicWrite(parentReal, target.name, data, { createOnly: !target.existing, expected: current?.stat, shown: args.path });
    const hash = sha256(data);
    const verb = target.existing ? 'Replaced' : 'Created';
    const keptNote = kept.length > 0 ? ` (kept ${kept.join(', ')})` : '';
    return {
      content: [{ type: 'text', text: `${verb} ${target.real}: ${formatBytes(data.length)}${keptNote}. sha256 ${hash}` }],
      structuredContent: { path: target.real, bytes: data.length, sha256: hash, created: !target.existing },
    };
  },
});
