import { closeSync, lstatSync, mkdirSync } from 'node:fs';
import { describeFsFailure, FsError } from '../safety/fs-error.js';
import { openVerified, underDir } from '../safety/verified-open.js';

/**
 * Creates `names` one below the other under the existing real folder `parentReal`. Each folder is created
 * through a verified descriptor of its parent, so a parent swapped for a link meanwhile is not followed.
 * Returns the real path of the last folder.
 */
export function safeMkdirs(parentReal: string, names: readonly string[], shown: string): string {
  let current = parentReal;
  for (const name of names) {
    const dir = openVerified(current, 'directory', shown);
    try {
      const path = underDir(dir.fd, current, name);
      try {
        mkdirSync(path, 0o777);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw describeFsFailure(error, shown);
        const stat = lstatSync(path);
        if (stat.isSymbolicLink()) throw new FsError(`${shown}: ${current}/${name} is a symbolic link; refused`);
        if (!stat.isDirectory()) throw new FsError(`${shown}: ${current}/${name} exists and is not a directory`);
      }
    } finally {
      closeSync(dir.fd);
    }
    current = `${current}/${name}`;
  }
  return current;
}
