import { FsError } from '../safety/fs-error.js';
import { READ_ONLY, type ToolFactory } from '../services.js';
import { formatBytes } from '../text/encoding.js';
import { intProp, objectSchema, pathProp } from '../util/schema.js';
import { walk, type WalkEntry } from '../walk/walker.js';

interface Args {
  path: string;
  depth?: number;
  maxEntries?: number;
}

interface Node {
  entry: WalkEntry;
  children: Node[];
}

export const directoryTree: ToolFactory = (s) => ({
  name: 'directory_tree',
  title: 'Folder tree',
  description:
    'An indented tree of a folder (folders end in "/", links in "@"), depth-limited; with ignore rules on, .gitignore matches, node_modules and .git are left out. ' +
    'Stops at maxEntries with a note; call it on a subfolder to see deeper.',
  inputSchema: objectSchema(
    {
      path: pathProp('Folder path'),
      depth: { ...intProp('Levels to show (1 = the folder\'s own entries)', 1, 20), default: 3 },
      maxEntries: { ...intProp('Most entries to show', 1, 10000), default: 500 },
    },
    ['path'],
  ),
  annotations: READ_ONLY,
  handler: async (args: Args) => {
    const depth = args.depth ?? 3;
    const maxEntries = args.maxEntries ?? 500;
    const { roots } = await s.roots.effective();
    const target = s.resolver.existing(args.path, roots);
    const top: Node[] = [];
    const byRel = new Map<string, Node>();
    let count = 0;
    let cut = false;
    const stats = walk(
      { rootReal: target.root.path, baseRel: target.rel, respectGitignore: s.config.respectGitignore, deny: s.deny, maxDepth: depth, sorted: true, breadthFirst: true },
      (entry) => {
        if (count >= maxEntries) {
          cut = true;
          return false;
        }
        count++;
        const node: Node = { entry, children: [] };
        const parentRel = entry.rel.slice(0, Math.max(0, entry.rel.length - entry.name.length - 1));
        (entry.depth === 1 ? top : byRel.get(parentRel)?.children)?.push(node);
        if (entry.kind === 'dir') byRel.set(entry.rel, node);
      },
    );
    if (stats.folders === 0) throw new FsError(`${args.path}: not a readable folder`);
    const lines: string[] = [`${target.real}/`];
    const print = (nodes: Node[], indent: string) => {
      for (const n of nodes) {
        const mark = n.entry.kind === 'dir' ? '/' : n.entry.kind === 'link' ? '@' : '';
        lines.push(`${indent}${n.entry.name}${mark}`);
        print(n.children, `${indent}  `);
      }
    };
    print(top, '  ');
    let text = lines.join('\n');
    const notes: string[] = [`${count} entries, ${depth} level${depth === 1 ? '' : 's'}`];
    if (text.length > s.config.maxReadBytes) {
      text = text.slice(0, text.lastIndexOf('\n', s.config.maxReadBytes));
      notes.push(`cut at the ${formatBytes(s.config.maxReadBytes)} response limit`);
    }
    if (cut) notes.push(`stopped at maxEntries=${maxEntries}: call directory_tree on a subfolder, or raise maxEntries`);
    if (stats.unreadable > 0) notes.push(`${stats.unreadable} folder(s) could not be read`);
    return { content: [{ type: 'text', text: `${text}\n\n[${notes.join('; ')}]` }] };
  },
});
