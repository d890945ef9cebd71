import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  fsyncSync,
  linkSync,
  lstatSync,
  openSync,
  renameSync,
  unlinkSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { describeFsFailure, FsError } from '../safety/fs-error.js';
import { openVerified, underDir } from '../safety/verified-open.js';

const O = constants;

export interface AtomicWriteOptions {
  /** Fail if the entry exists (checked atomically with link(2), not by looking first). */
  createOnly?: boolean;
  /** The entry as it was when the caller read it: refuse if something else is there now. */
  expected?: Stats;
  shown: string;
}

/**
 * Replaces `<parentReal>/<name>` with `data`: a temp file is written in the same folder (opened with
 * O_EXCL|O_NOFOLLOW through a verified descriptor of the folder), flushed, given the old file's
 * permission bits and owner where possible, then renamed over the entry. Readers see the old or the new
 * file, never half of one; a link at the entry is never followed (rename replaces the entry itself).
 */
export function atomicWrite(parentReal: string, name: string, data: Buffer, options: AtomicWriteOptions): void {
  const { shown } = options;
  const dir = openVerified(parentReal, 'directory', shown);
  const target = underDir(dir.fd, parentReal, name);
  const tempName = `.${name.length > 100 ? 'mcp-write' : name}.${randomBytes(6).toString('hex')}.tmp`;
  const temp = underDir(dir.fd, parentReal, tempName);
  let tempCreated = false;
  try {
    let existing: Stats | undefined;
    try {
      existing = lstatSync(target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (existing) {
      if (options.createOnly) throw new FsError(`${shown}: already exists (createOnly)`);
      if (existing.isSymbolicLink()) throw new FsError(`${shown}: is a symbolic link; writes never follow links`);
      if (!existing.isFile()) throw new FsError(`${shown}: exists and is not a regular file`);
      const e = options.expected;
      if (e && (e.ino !== existing.ino || e.dev !== existing.dev || e.size !== existing.size || e.mtimeMs !== existing.mtimeMs)) {
        throw new FsError(`${shown}: changed on disk since it was read; nothing written — read it again`);
      }
    } else if (options.expected) {
      throw new FsError(`${shown}: was removed meanwhile`);
    }
    const fd = openSync(temp, O.O_WRONLY | O.O_CREAT | O.O_EXCL | O.O_NOFOLLOW, existing ? 0o600 : 0o666);
    tempCreated = true;
    try {
      let offset = 0;
      while (offset < data.length) offset += writeSync(fd, data, offset, data.length - offset);
      if (existing) {
        fchmodSync(fd, existing.mode & 0o777);
        if (process.getuid?.() === 0 && (existing.uid !== 0 || existing.gid !== 0)) {
          try {
            fchownSync(fd, existing.uid, existing.gid);
          } catch {}
        }
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (options.createOnly) {
      // link(2) fails if the name exists: a create that cannot race another writer.
      try {
        linkSync(temp, target);
        unlinkSync(temp);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') throw new FsError(`${shown}: already exists (it appeared meanwhile); nothing written`);
        // File systems without hard links: look, then rename (a narrow race instead of none).
        if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw error;
        let exists = true;
        try {
          lstatSync(target);
        } catch {
          exists = false;
        }
        if (exists) throw new FsError(`${shown}: already exists (it appeared meanwhile); nothing written`);
        renameSync(temp, target);
      }
    } else {
      renameSync(temp, target);
    }
    tempCreated = false;
    try {
      fsyncSync(dir.fd);
    } catch {}
  } catch (error) {
    if (tempCreated) {
      try {
        unlinkSync(temp);
      } catch {}
    }
    throw describeFsFailure(error, shown);
  } finally {
    closeSync(dir.fd);
  }
}
