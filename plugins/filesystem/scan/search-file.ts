import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { HAS_PROC_FD, openVerified } from '../safety/verified-open.js';
import type { Matcher } from './matcher.js';

export interface LineMatch {
  line: number;
  text: string;
  /** Context lines before and after: [lineNumber, text]. */
  before: [number, string][];
  after: [number, string][];
}

export interface FileMatches {
  path: string;
  matches: LineMatch[];
}

export type SkipReason = 'binary' | 'large' | 'unreadable';

/** Files larger than this are skipped by search_content (reported in its summary). */
export const MAX_SEARCH_FILE = 32 * 1024 * 1024;
const MAX_LINE_CHARS = 400;

let scratch = Buffer.allocUnsafe(256 * 1024);

const O = constants;
const FILE_FLAGS = O.O_RDONLY | O.O_NOFOLLOW | O.O_NONBLOCK | (O.O_NOCTTY ?? 0);

/**
 * Opens the files of a search. On Linux each folder is opened once and verified (it is the real folder
 * the walk listed, not a link swapped in since), and its files are opened through that descriptor
 * (`/proc/self/fd/N/name`, like openat) without following a link: as safe as verifying every file, with
 * fewer system calls. Elsewhere each file is opened and verified on its own.
 */
export class FileOpener {
  private dirPath: string | undefined;
  private dirFd: number | undefined;

  open(path: string): number {
    if (!HAS_PROC_FD) {
      const opened = openVerified(path, 'file', path);
      return opened.fd;
    }
    const slash = path.lastIndexOf('/');
    const dir = path.slice(0, slash) || '/';
    if (dir !== this.dirPath) {
      this.close();
      this.dirFd = openVerified(dir, 'directory', dir).fd;
      this.dirPath = dir;
    }
    return openSync(`/proc/self/fd/${this.dirFd}/${path.slice(slash + 1)}`, FILE_FLAGS);
  }

  close(): void {
    if (this.dirFd !== undefined) closeSync(this.dirFd);
    this.dirFd = undefined;
    this.dirPath = undefined;
  }
}

/**
 * Searches one file (a path the walk produced). Binary files (a NUL byte) and very large ones are skipped;
 * anything but a regular file is refused after opening (before any read). Returns the matching lines with
 * context, at most `limit` of them.
 */
export function searchFile(opener: FileOpener, path: string, matcher: Matcher, contextLines: number, limit: number): FileMatches | SkipReason | undefined {
  let bytes: Buffer;
  try {
    const fd = opener.open(path);
    try {
      const stat = fstatSync(fd);
      if (!stat.isFile()) return 'unreadable';
      const size = stat.size;
      if (size > MAX_SEARCH_FILE) return 'large';
      if (size + 1 > scratch.length) scratch = Buffer.allocUnsafe(Math.max(size + 1, scratch.length * 2));
      // Ask for one byte more than the size: a short read is the end, so one read call suffices.
      let got = readSync(fd, scratch, 0, size + 1, 0);
      while (got === size + 1 && got < scratch.length) {
        const n = readSync(fd, scratch, got, scratch.length - got, got);
        if (n === 0) break;
        got += n;
      }
      bytes = scratch.subarray(0, got);
    } finally {
      closeSync(fd);
    }
  } catch {
    return 'unreadable';
  }
  if (!matcher.mayMatch(bytes)) return undefined;
  if (bytes.indexOf(0) >= 0) return 'binary';
  const text = bytes.toString('utf8');
  const regex = matcher.regex;
  regex.lastIndex = 0;
  let m = regex.exec(text);
  if (!m) return undefined;
  // Line starts, computed once the file is known to match.
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  const lineOf = (index: number) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const lineText = (l: number, around?: number) => {
    let end = l + 1 < starts.length ? starts[l + 1] - 1 : text.length;
    if (end > starts[l] && text.charCodeAt(end - 1) === 13) end--;
    return clip(text.slice(starts[l], end), around === undefined ? undefined : around - starts[l]);
  };
  const lastLine = text.endsWith('\n') ? starts.length - 2 : starts.length - 1;
  const hitLines: { line: number; index: number }[] = [];
  while (m && hitLines.length < limit) {
    const line = lineOf(m.index);
    if (hitLines.length === 0 || hitLines[hitLines.length - 1].line !== line) hitLines.push({ line, index: m.index });
    // Continue on the next line: one result per matching line, as grep does.
    const next = line + 1 < starts.length ? starts[line + 1] : text.length + 1;
    if (m[0].length === 0 && regex.lastIndex < next) regex.lastIndex = next;
    else if (regex.lastIndex < next) regex.lastIndex = next;
    if (regex.lastIndex > text.length) break;
    m = regex.exec(text);
  }
  const hitSet = new Set(hitLines.map((h) => h.line));
  const matches: LineMatch[] = hitLines.map(({ line, index }) => {
    const before: [number, string][] = [];
    const after: [number, string][] = [];
    for (let l = Math.max(0, line - contextLines); l < line; l++) if (!hitSet.has(l)) before.push([l + 1, lineText(l)]);
    for (let l = line + 1; l <= Math.min(lastLine, line + contextLines); l++) if (!hitSet.has(l)) after.push([l + 1, lineText(l)]);
    return { line: line + 1, text: lineText(line, index), before, after };
  });
  return { path, matches };
}

/** Long lines (minified code) are shown around the match. */
function clip(line: string, at?: number): string {
  if (line.length <= MAX_LINE_CHARS) return line;
  const start = Math.max(0, Math.min((at ?? 0) - 100, line.length - MAX_LINE_CHARS));
  return `${start > 0 ? '…' : ''}${line.slice(start, start + MAX_LINE_CHARS)}…`;
}
