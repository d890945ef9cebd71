import { closeSync, lstatSync, readdirSync, type Dirent } from 'node:fs';
import { DenyRules } from '../safety/deny.js';
import { HAS_PROC_FD, openVerified } from '../safety/verified-open.js';
import { ALWAYS_SKIPPED, isIgnored, loadIgnoreLevel, type IgnoreLevel } from './ignore-rules.js';

export type EntryKind = 'file' | 'dir' | 'link' | 'other';

export interface WalkEntry {
  /** Real path (the walk never follows links, so it is also the path the kernel sees). */
  abs: string;
  /** Path relative to the root, `/`-separated. */
  rel: string;
  name: string;
  kind: EntryKind;
  /** 1 for the base folder's own entries. */
  depth: number;
}

export interface WalkOptions {
  /** Real path of the root the base is in, and the base relative to it (`''` when the base is the root). */
  rootReal: string;
  baseRel: string;
  respectGitignore: boolean;
  deny: DenyRules;
  /** Folders deeper than this are not entered (1 = the base's entries only). */
  maxDepth?: number;
  /** Entries of each folder in name order (costs a sort per folder). */
  sorted?: boolean;
  /** Level by level (every entry of depth 1, then of depth 2, ...) instead of depth-first: a capped walk then shows the top complete. */
  breadthFirst?: boolean;
  /** Checked between folders: true stops the walk. */
  shouldStop?: () => boolean;
}

export interface WalkStats {
  folders: number;
  /** Folders that could not be read (permissions, vanished, swapped for a link). */
  unreadable: number;
  stopped: boolean;
}

/**
 * Walks a folder depth-first, synchronously (it runs in a worker thread or under small bounds). Links are
 * reported, never followed; refused (deny) entries are left out entirely; with ignore rules on, what
 * .gitignore files exclude and node_modules/.git are skipped. Each folder is read through a descriptor
 * verified to be that folder, so one swapped for a link mid-walk is not listed. `visit` returns false
 * to stop.
 */
export function walk(options: WalkOptions, visit: (entry: WalkEntry) => boolean | void): WalkStats {
  const { rootReal, baseRel, deny, respectGitignore } = options;
  const maxDepth = options.maxDepth ?? Number.POSITIVE_INFINITY;
  const stats: WalkStats = { folders: 0, unreadable: 0, stopped: false };
  const levels: IgnoreLevel[] = [];
  if (respectGitignore) {
    // The .gitignore files of the folders from the root down to the base apply too.
    const parts = baseRel === '' ? [] : baseRel.split('/');
    for (let i = 0; i < parts.length; i++) {
      const prefix = parts.slice(0, i).join('/');
      const level = loadIgnoreLevel(prefix ? `${rootReal}/${prefix}` : rootReal, prefix ? `${prefix}/` : '');
      if (level) levels.push(level);
    }
  }
  const base = baseRel ? `${rootReal}/${baseRel}` : rootReal;
  // Each stack item carries the ignore levels in force for it.
  const stack: { abs: string; rel: string; depth: number; levels: IgnoreLevel[] }[] = [{ abs: base, rel: baseRel, depth: 1, levels }];
  // Breadth-first reads the array as a queue from `head` (no O(n) shift); depth-first pops from the end.
  let head = 0;
  while (stack.length > head) {
    if (options.shouldStop?.()) {
      stats.stopped = true;
      break;
    }
    const folder = options.breadthFirst ? stack[head++] : stack.pop()!;
    const entries = readFolder(folder.abs);
    if (!entries) {
      stats.unreadable++;
      continue;
    }
    stats.folders++;
    if (options.sorted) entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    let folderLevels = folder.levels;
    if (respectGitignore && entries.some((e) => e.name === '.gitignore')) {
      const level = loadIgnoreLevel(folder.abs, folder.rel ? `${folder.rel}/` : '');
      if (level) folderLevels = [...folderLevels, level];
    }
    const subfolders: typeof stack = [];
    for (const dirent of entries) {
      const name = dirent.name;
      const rel = folder.rel ? `${folder.rel}/${name}` : name;
      if (deny.matchName(name) || (deny.hasPathGlobs && deny.matchFullPath(rel))) continue;
      const kind = kindOfDirent(dirent, `${folder.abs}/${name}`);
      if (respectGitignore) {
        if (kind === 'dir' && ALWAYS_SKIPPED.has(name)) continue;
        if (folderLevels.length > 0 && isIgnored(folderLevels, rel, name, kind === 'dir')) continue;
      }
      const abs = `${folder.abs}/${name}`;
      if (visit({ abs, rel, name, kind, depth: folder.depth }) === false) {
        stats.stopped = true;
        return stats;
      }
      if (kind === 'dir' && folder.depth < maxDepth) subfolders.push({ abs, rel, depth: folder.depth + 1, levels: folderLevels });
    }
    if (options.breadthFirst) stack.push(...subfolders);
    // Reversed so that folders pop in the order they were listed.
    else for (let i = subfolders.length - 1; i >= 0; i--) stack.push(subfolders[i]);
  }
  return stats;
}

function readFolder(abs: string): Dirent[] | undefined {
  try {
    if (!HAS_PROC_FD) return readdirSync(abs, { withFileTypes: true });
    const opened = openVerified(abs, 'directory', abs);
    try {
      return readdirSync(`/proc/self/fd/${opened.fd}`, { withFileTypes: true });
    } finally {
      closeSync(opened.fd);
    }
  } catch {
    return undefined;
  }
}

function kindOfDirent(dirent: Dirent, abs: string): EntryKind {
  if (dirent.isFile()) return 'file';
  if (dirent.isDirectory()) return 'dir';
  if (dirent.isSymbolicLink()) return 'link';
  if (dirent.isFIFO() || dirent.isSocket() || dirent.isCharacterDevice() || dirent.isBlockDevice()) return 'other';
  // File systems without d_type report nothing: ask.
  try {
    const stat = lstatSync(abs);
    return stat.isFile() ? 'file' : stat.isDirectory() ? 'dir' : stat.isSymbolicLink() ? 'link' : 'other';
  } catch {
    return 'other';
  }
}
