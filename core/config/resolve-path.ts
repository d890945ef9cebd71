import { homedir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';

/** `~` and `~/x` expand to the home folder; relative paths resolve against `baseDir`. */
export function resolvePath(path: string, baseDir: string): string {
  if (path === '~') return homedir();
  if (path.startsWith('~/') || path.startsWith('~\\')) return resolve(homedir(), path.slice(2));
  return isAbsolute(path) ? resolve(path) : resolve(baseDir, path);
}
