import { lstatSync, realpathSync, type Stats } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { checkNotGitWrite, type DenyRules } from './deny.js';
import { describeFsFailure, FsError } from './fs-error.js';
import { checkPathText, expandHome, isWithin, relativeTo } from './path-text.js';
import { rootOf, type Root } from './roots.js';

export interface Resolved {
  /** The real path: every link resolved. */
  real: string;
  root: Root;
  /** `real` relative to its root (`/`-separated, `''` for the root). */
  rel: string;
}

export interface WriteTarget {
  /** Real path of the existing parent folder. */
  parentReal: string;
  /** Folders to create under `parentReal` first, in order (empty when the parent exists). */
  missing: string[];
  name: string;
  /** The real path the entry will have. */
  real: string;
  root: Root;
  rel: string;
  /** lstat of the existing entry (never followed), if there is one. */
  existing?: Stats;
}

/**
 * Turns attacker-controlled path text into real paths inside the roots. Relative paths are taken from the
 * first root. The path must be inside a root as written (after `..` is folded) AND once every link is
 * resolved; the deny rules are checked on both forms, so a link cannot launder a refused name.
 */
export class PathResolver {
  constructor(private readonly deny: DenyRules) {}

  /** The absolute path as written, normalized, mapped onto a root's real path when written through its configured form. */
  lexical(input: unknown, roots: readonly Root[], what = 'path'): { abs: string; root: Root } {
    const text = expandHome(checkPathText(input, what));
    const abs = isAbsolute(text) ? resolve(text) : resolve(roots[0].path, text);
    for (const r of roots) if (isWithin(abs, r.path)) return { abs, root: r };
    for (const r of roots) {
      if (r.given !== r.path && isWithin(abs, r.given)) return { abs: join(r.path, abs.slice(r.given.length)), root: r };
    }
    throw new FsError(`${String(input)}: outside the allowed roots (${roots.map((r) => r.path).join(', ')}); call list_roots`);
  }

  /** An existing entry, for reading. */
  existing(input: unknown, roots: readonly Root[], what = 'path'): Resolved {
    const { abs, root: lexRoot } = this.lexical(input, roots, what);
    this.deny.check(relativeTo(lexRoot.path, abs), String(input));
    let real: string;
    try {
      real = realpathSync.native(abs);
    } catch (error) {
      throw describeFsFailure(error, String(input));
    }
    const root = rootOf(real, roots);
    if (!root) throw new FsError(`${String(input)}: resolves through a symbolic link to a place outside the allowed roots; refused`);
    const rel = relativeTo(root.path, real);
    this.deny.check(rel, String(input));
    return { real, root, rel };
  }

  /**
   * Where a write to `input` lands. The parent folder is resolved (links in it are followed, but must stay
   * inside the roots); the final entry is never followed: a link there (even a dangling one) is refused.
   */
  forWrite(input: unknown, roots: readonly Root[], what = 'path'): WriteTarget {
    const { abs, root: lexRoot } = this.lexical(input, roots, what);
    const shown = String(input);
    if (abs === lexRoot.path) throw new FsError(`${shown}: is a root folder itself`);
    const lexRel = relativeTo(lexRoot.path, abs);
    this.deny.check(lexRel, shown);
    checkNotGitWrite(lexRel, shown);
    const name = basename(abs);
    // Find the deepest existing ancestor; everything below it is created.
    const missing: string[] = [];
    let parent = dirname(abs);
    let parentReal: string | undefined;
    while (parentReal === undefined) {
      try {
        parentReal = realpathSync.native(parent);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT' || !isWithin(parent, lexRoot.path) || parent === lexRoot.path) throw describeFsFailure(error, shown);
        // A dangling link in the way is not a missing folder: creating through it would write where it points.
        if (isLink(parent)) throw new FsError(`${shown}: ${parent} is a dangling symbolic link; refused`);
        missing.unshift(basename(parent));
        parent = dirname(parent);
      }
    }
    const real = join(parentReal, ...missing, name);
    const root = rootOf(parentReal, roots);
    if (!root) throw new FsError(`${shown}: its folder resolves through a symbolic link to a place outside the allowed roots; refused`);
    const rel = relativeTo(root.path, real);
    this.deny.check(rel, shown);
    checkNotGitWrite(rel, shown);
    let existing: Stats | undefined;
    if (missing.length === 0) {
      try {
        existing = lstatSync(real);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw describeFsFailure(error, shown);
      }
      if (existing?.isSymbolicLink()) {
        throw new FsError(`${shown}: is a symbolic link; writes never follow links — write to its target path if that is inside the roots`);
      }
    }
    return { parentReal, missing, name, real, root, rel, existing };
  }
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
