import picomatch from 'picomatch';
import { FsError } from './fs-error.js';

/**
 * The `deny` globs. A pattern without `/` is tested against every segment of a path (so `.ssh` refuses the
 * folder and all inside it, `*.pem` refuses such a file at any depth); a pattern with `/` is tested
 * against the path relative to its root and each of its parent folders. Matching ignores case, so a
 * case-insensitive file system gives no way around it.
 */
export class DenyRules {
  private readonly segmentMatchers: { glob: string; test: (s: string) => boolean }[] = [];
  private readonly pathMatchers: { glob: string; test: (s: string) => boolean }[] = [];
  /** All segment globs as one regular expression: walks test every entry name, so one test instead of dozens. */
  private readonly anySegment: RegExp | undefined;

  constructor(globs: readonly string[]) {
    const sources: string[] = [];
    for (const raw of globs) {
      const glob = raw.replace(/^\.\//, '').replace(/\/+$/, '').replace(/^\//, '');
      if (!glob) continue;
      const re = picomatch.makeRe(glob, { dot: true, nocase: true });
      const test = (s: string) => re.test(s);
      if (glob.includes('/')) this.pathMatchers.push({ glob: raw, test });
      else {
        this.segmentMatchers.push({ glob: raw, test });
        sources.push(`(?:${re.source})`);
      }
    }
    this.anySegment = sources.length > 0 ? new RegExp(sources.join('|'), 'i') : undefined;
  }

  /** The glob that refuses one file name (a segment), if any. Used by walks entry by entry. */
  matchName(name: string): string | undefined {
    if (!this.anySegment?.test(name)) return undefined;
    for (const m of this.segmentMatchers) if (m.test(name)) return m.glob;
    return undefined;
  }

  /** The glob that refuses `rel` (relative to a root, `/`-separated) itself, testing only its full path. */
  matchFullPath(rel: string): string | undefined {
    for (const m of this.pathMatchers) if (m.test(rel)) return m.glob;
    return undefined;
  }

  get hasPathGlobs(): boolean {
    return this.pathMatchers.length > 0;
  }

  /** The glob that refuses `rel` or any folder it is in, if any. */
  match(rel: string): string | undefined {
    if (rel === '') return undefined;
    const segments = rel.split('/');
    for (const segment of segments) {
      const hit = this.matchName(segment);
      if (hit) return hit;
    }
    if (this.pathMatchers.length > 0) {
      for (let i = 1; i <= segments.length; i++) {
        const hit = this.matchFullPath(segments.slice(0, i).join('/'));
        if (hit) return hit;
      }
    }
    return undefined;
  }

  check(rel: string, shown: string): void {
    const hit = this.match(rel);
    if (hit) throw new FsError(`${shown}: refused by the deny rule "${hit}"`);
  }
}

/**
 * Writes inside a `.git` folder are refused: hooks run on the user's next commit, and config keys such
 * as core.hooksPath and core.fsmonitor name programs git runs. A file named `.git` (which points git
 * at another folder) is refused too.
 */
export function checkNotGitWrite(rel: string, shown: string): void {
  if (rel.split('/').some((s) => s.toLowerCase() === '.git')) {
    throw new FsError(`${shown}: writes inside .git are refused (hooks and git config can run programs)`);
  }
}
