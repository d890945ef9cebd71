import { homedir } from 'node:os';
import { sep } from 'node:path';
import { FsError } from './fs-error.js';

const MAX_PATH_CHARS = 4096;

/** True when `path` is `root` or inside it. Compares on separator boundaries: root `/data` never admits `/data_evil`. */
export function isWithin(path: string, root: string): boolean {
  if (path === root) return true;
  const prefix = root.endsWith(sep) ? root : root + sep;
  return path.startsWith(prefix);
}

/** Refuses path text that no file operation should see, before anything touches the disk. */
export function checkPathText(input: unknown, what = 'path'): string {
  if (typeof input !== 'string' || input.length === 0) throw new FsError(`${what} must be a non-empty string`);
  if (input.includes('\0')) throw new FsError(`${what} contains a NUL byte`);
  if (input.length > MAX_PATH_CHARS) throw new FsError(`${what} is longer than ${MAX_PATH_CHARS} characters`);
  return input;
}

/** `~` and `~/x` mean the user's home folder, as in a shell. */
export function expandHome(input: string): string {
  return input === '~' || input.startsWith('~/') ? homedir() + input.slice(1) : input;
}

/** `path` relative to `root`, with `/` separators; `''` for the root itself. `path` must be within `root`. */
export function relativeTo(root: string, path: string): string {
  if (path === root) return '';
  const rel = path.slice(root.endsWith(sep) ? root.length : root.length + 1);
  return sep === '/' ? rel : rel.split(sep).join('/');
}
