import { safeMkdirs } from '../io/safe-mkdir.js';
import { FsError } from '../safety/fs-error.js';
import type { ToolFactory } from '../services.js';
import { objectSchema, pathProp } from '../util/schema.js';

export const createDirectory: ToolFactory = (s) => ({
  name: 'create_directory',
  title: 'Create a folder',
  description: 'Creates a folder and any missing parents. Succeeds if it already exists.',
  inputSchema: objectSchema({ path: pathProp('Folder path') }, ['path']),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  handler: async (args: { path: string }) => {
    const { roots } = await s.roots.effective();
    const target = s.resolver.forWrite(args.path, roots);
    if (target.existing) {
      if (!target.existing.isDirectory()) throw new FsError(`${args.path}: exists and is not a folder`);
      return { content: [{ type: 'text', text: `${target.real} already exists.` }] };
    }
    safeMkdirs(target.parentReal, [...target.missing, target.name], args.path);
    return { content: [{ type: 'text', text: `Created ${target.real}${target.missing.length > 0 ? ` (and ${target.missing.length} parent folder(s))` : ''}.` }] };
  },
});
