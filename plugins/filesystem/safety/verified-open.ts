import { closeSync, constants, existsSync, fstatSync, lstatSync, openSync, readlinkSync, type Stats } from 'node:fs';
import { FsError } from './fs-error.js';

/** Linux lets a process ask the kernel which path an open descriptor really refers to. */
export const HAS_PROC_FD = process.platform === 'linux' && existsSync('/proc/self/fd');

const O = constants;
const READ_FLAGS = O.O_RDONLY | O.O_NOFOLLOW | O.O_NONBLOCK | (O.O_NOCTTY ?? 0);

export interface OpenedFile {
  fd: number;
  stat: Stats;
}

/** The path the kernel holds for `fd` (Linux), or undefined where that cannot be asked. */
export function fdPath(fd: number): string | undefined {
  return HAS_PROC_FD ? readlinkSync(`/proc/self/fd/${fd}`) : undefined;
}

/**
 * A path inside the folder held open as `dirFd`: on Linux `/proc/self/fd/N/name` resolves through the
 * descriptor itself (like openat), so a folder swapped for a link after it was checked is never followed.
 */
export function underDir(dirFd: number, dirReal: string, name: string): string {
  return HAS_PROC_FD ? `/proc/self/fd/${dirFd}/${name}` : `${dirReal}/${name}`;
}

export function kindOf(stat: Stats): string {
  if (stat.isFile()) return 'file';
  if (stat.isDirectory()) return 'directory';
  if (stat.isSymbolicLink()) return 'symbolic link';
  if (stat.isFIFO()) return 'FIFO';
  if (stat.isSocket()) return 'socket';
  if (stat.isCharacterDevice()) return 'character device';
  if (stat.isBlockDevice()) return 'block device';
  return 'special file';
}

/**
 * Opens `real` (an already resolved real path) for reading, refusing anything but the expected kind.
 * The entry is looked at before opening (opening a FIFO or a device can block or have effects), opened
 * without following a link, and the open descriptor is checked to be that same entry at that same path:
 * a swap between the check and the open is caught instead of followed.
 */
export function openVerified(real: string, expect: 'file' | 'directory', shown: string): OpenedFile {
  const before = lstatSync(real);
  const kind = kindOf(before);
  if (kind !== expect) throw new FsError(`${shown}: is a ${kind}, not a ${expect}`);
  const fd = openSync(real, READ_FLAGS | (expect === 'directory' ? O.O_DIRECTORY : 0));
  try {
    const stat = fstatSync(fd);
    if (stat.ino !== before.ino || stat.dev !== before.dev || kindOf(stat) !== expect) {
      throw new FsError(`${shown}: changed while it was being opened; refused`);
    }
    const held = fdPath(fd);
    if (held !== undefined && held !== real) throw new FsError(`${shown}: changed while it was being opened; refused`);
    return { fd, stat };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/** Runs `use` with `real` opened and verified, closing the descriptor afterwards. */
export function withVerified<T>(real: string, expect: 'file' | 'directory', shown: string, use: (opened: OpenedFile) => T): T {
  const opened = openVerified(real, expect, shown);
  try {
    return use(opened);
  } finally {
    closeSync(opened.fd);
  }
}
