import { closeSync, readSync } from 'node:fs';
import { openVerified } from '../safety/verified-open.js';
import { GitignoreRules } from './gitignore.js';

/** One folder's .gitignore: `prefix` is that folder relative to the root (`''` or `a/b/`). */
export interface IgnoreLevel {
  prefix: string;
  rules: GitignoreRules;
}

const MAX_IGNORE_FILE = 1024 * 1024;

/** Reads the .gitignore of a folder (never through a link), or undefined when it has none. */
export function loadIgnoreLevel(folderReal: string, prefix: string): IgnoreLevel | undefined {
  let text: string;
  try {
    const opened = openVerified(`${folderReal}/.gitignore`, 'file', '.gitignore');
    try {
      const length = Math.min(opened.stat.size, MAX_IGNORE_FILE);
      const buf = Buffer.allocUnsafe(length);
      const n = length > 0 ? readSync(opened.fd, buf, 0, length, 0) : 0;
      text = buf.toString('utf8', 0, n);
    } finally {
      closeSync(opened.fd);
    }
  } catch {
    return undefined;
  }
  const rules = new GitignoreRules(text);
  return rules.empty ? undefined : { prefix, rules };
}

/**
 * Whether `rel` (relative to the root; a folder when `dir`) is ignored by the chain of .gitignore files
 * above it. Deeper files are consulted last, so their rules (negations included) win, as in git.
 */
export function isIgnored(levels: readonly IgnoreLevel[], rel: string, name: string, dir: boolean): boolean {
  let ignored = false;
  for (const level of levels) {
    if (!rel.startsWith(level.prefix)) continue;
    const verdict = level.rules.match(rel.slice(level.prefix.length), name, dir);
    if (verdict !== undefined) ignored = verdict;
  }
  return ignored;
}

/** Folders skipped whenever ignore rules are on. */
export const ALWAYS_SKIPPED = new Set(['node_modules', '.git']);
