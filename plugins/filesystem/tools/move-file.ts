import { closeSync, linkSync, lstatSync, renameSync, unlinkSync } from 'node:fs';
import { safeMkdirs } from '../io/safe-mkdir.js';
import { describeFsFailure, FsError } from '../safety/fs-error.js';
import { isWithin } from '../safety/path-text.js';
import { openVerified, underDir } from '../safety/verified-open.js';
import type { ToolFactory } from '../services.js';
import { objectSchema, pathProp } from '../util/schema.js';

interface Args {
  from: string;
  to: string;
  overwrite?: boolean;
}

export const moveFile: ToolFactory = (s) => ({
  name: 'move_file',
  title: 'Move or rename',
  description:
    'Moves or renames a file or folder (both paths inside the roots; missing parent folders of the destination are created). ' +
    'Refuses to replace an existing destination unless overwrite is true (files only; a folder is never replaced).',
  inputSchema: objectSchema(
    {
      from: pathProp('Current path'),
      to: pathProp('New path'),
      overwrite: { type: 'boolean', default: false, description: 'Replace an existing destination file' },
    },
    ['from', 'to'],
  ),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  handler: async (args: Args) => {
    const { roots } = await s.roots.effective();
    const src = s.resolver.forWrite(args.from, roots, 'from');
    if (!src.existing) throw new FsError(`${args.from}: no such file or folder`);
    if (!src.existing.isFile() && !src.existing.isDirectory()) throw new FsError(`${args.from}: only files and folders can be moved`);
    const dst = s.resolver.forWrite(args.to, roots, 'to');
    if (dst.real === src.real) throw new FsError('from and to are the same path');
    if (src.existing.isDirectory() && isWithin(dst.real, src.real)) throw new FsError(`${args.to}: a folder cannot be moved into itself`);
    if (dst.existing) {
      if (!args.overwrite) throw new FsError(`${args.to}: already exists; pass overwrite: true to replace it`);
      if (dst.existing.isDirectory() || src.existing.isDirectory()) throw new FsError(`${args.to}: already exists; a folder is never replaced, and a folder never replaces a file`);
    }
    const dstParent = dst.missing.length > 0 ? safeMkdirs(dst.parentReal, dst.missing, args.to) : dst.parentReal;
    const srcDir = openVerified(src.parentReal, 'directory', args.from);
    try {
      const dstDir = openVerified(dstParent, 'directory', args.to);
      try {
        const from = underDir(srcDir.fd, src.parentReal, src.name);
        const to = underDir(dstDir.fd, dstParent, dst.name);
        const now = lstatSync(from);
        if (now.ino !== src.existing.ino || now.dev !== src.existing.dev) throw new FsError(`${args.from}: changed meanwhile; nothing moved`);
        if (!args.overwrite && now.isFile()) {
          // link(2) refuses an existing name: a no-replace move without a race.
          try {
            linkSync(from, to);
            unlinkSync(from);
          } catch (error) {
            const code = (error as NodeJS.ErrnoException).code;
            if (code === 'EEXIST') throw new FsError(`${args.to}: already exists; pass overwrite: true to replace it`);
            if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EXDEV') throw error;
            noneAt(to, args.to);
            renameSync(from, to);
          }
        } else {
          if (!args.overwrite) noneAt(to, args.to);
          renameSync(from, to);
        }
      } finally {
        closeSync(dstDir.fd);
      }
    } catch (error) {
      throw describeFsFailure(error, `${args.from} -> ${args.to}`);
    } finally {
      closeSync(srcDir.fd);
    }
    return { content: [{ type: 'text', text: `Moved ${src.real} to ${dst.real}.` }] };
  },
});

function noneAt(path: string, shown: string): void {
  try {
    lstatSync(path);
  } catch {
    return;
  }
  throw new FsError(`${shown}: already exists; pass overwrite: true to replace it`);
}
