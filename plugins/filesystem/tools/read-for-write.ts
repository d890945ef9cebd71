import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';
import { withVerified } from '../safety/verified-open.js';
import { textShape, type TextShape } from '../text/encoding.js';
import { readRange } from '../text/line-window.js';

/** Files the write tools will read back and rewrite. */
export const MAX_EDIT_BYTES = 64 * 1024 * 1024;

export interface CurrentFile {
  bytes: Buffer;
  shape: TextShape;
  sha256: string;
  /** The entry as read, to detect a change before the rename. */
  stat: Stats;
}

/** The current content of a file about to be rewritten, read through a verified descriptor. */
export function readCurrent(real: string, shown: string): CurrentFile {
  return withVerified(real, 'file', shown, ({ fd, stat }) => {
    if (stat.size > MAX_EDIT_BYTES) throw new Error(`${shown}: larger than ${MAX_EDIT_BYTES / 1024 / 1024} MiB; the write tools do not rewrite it`);
    const bytes = readRange(fd, 0, stat.size);
    return { bytes, shape: textShape(bytes), sha256: sha256(bytes), stat };
  });
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
