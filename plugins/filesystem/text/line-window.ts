import { readSync } from 'node:fs';
import { charBoundary } from './encoding.js';

/** Which lines to read (1-based, inclusive). At most one of: a range (startLine/endLine), head, tail. */
export interface LineRequest {
  startLine?: number;
  endLine?: number;
  head?: number;
  tail?: number;
}

export interface LineWindow {
  bytes: Buffer;
  /** Line number of the first line in `bytes` (unknown for the tail of a file too large to count). */
  firstLine?: number;
  lastLine?: number;
  /** Lines in the file, when known. */
  totalLines?: number;
  /** Set when the cap cut the selection: where to continue. */
  cut?: { kind: 'lines' | 'char'; nextLine?: number; previousLine?: number };
  /** True when the selection asked for lines past the end of the file. */
  pastEnd?: boolean;
}

/** Files up to this size are read whole (lines counted); larger ones only around the selection. */
export const WHOLE_FILE_LIMIT = 16 * 1024 * 1024;
const CHUNK = 1024 * 1024;

const NL = 10;

/** Selects lines of an in-memory file (BOM already removed), cut to at most `cap` bytes on line or character boundaries. */
export function windowOf(buf: Buffer, req: LineRequest, cap: number, part: 'whole' | 'prefix' | 'suffix' = 'whole'): LineWindow {
  const total = countLines(buf);
  if (req.tail !== undefined) return tailWindow(buf, req.tail, cap, part === 'whole' ? total : undefined);
  const start = req.startLine ?? 1;
  const end = req.head !== undefined ? start + req.head - 1 : (req.endLine ?? Number.POSITIVE_INFINITY);
  const from = offsetOfLine(buf, start);
  const totalKnown = part === 'whole' ? total : undefined;
  if (from === undefined) return { bytes: Buffer.alloc(0), totalLines: totalKnown, pastEnd: true };
  let to = offsetAfterLine(buf, from, end - start + 1);
  const pastEnd = part === 'whole' && end !== Number.POSITIVE_INFINITY && end > total;
  if (to - from <= cap) {
    return { bytes: buf.subarray(from, to), firstLine: start, lastLine: Math.min(end, total), totalLines: totalKnown, pastEnd };
  }
  // Too big: keep whole lines while they fit; a single line longer than the cap is cut on a character boundary.
  const lastNl = buf.lastIndexOf(NL, from + cap - 1);
  if (lastNl >= from) {
    to = lastNl + 1;
    const shown = countNewlines(buf, from, to);
    return { bytes: buf.subarray(from, to), firstLine: start, lastLine: start + shown - 1, totalLines: totalKnown, cut: { kind: 'lines', nextLine: start + shown } };
  }
  to = from + charBoundary(buf.subarray(from, from + cap + 4), cap);
  return { bytes: buf.subarray(from, to), firstLine: start, lastLine: start, totalLines: totalKnown, cut: { kind: 'char', nextLine: start + 1 } };
}

function tailWindow(buf: Buffer, count: number, cap: number, total: number | undefined): LineWindow {
  let end = buf.length;
  // A final newline ends the last line; it does not start an empty one.
  let scan = end > 0 && buf[end - 1] === NL ? end - 1 : end;
  let from = 0;
  let found = 0;
  while (found < count) {
    const nl = scan > 0 ? buf.lastIndexOf(NL, scan - 1) : -1;
    if (nl < 0) {
      from = 0;
      found++;
      break;
    }
    found++;
    from = nl + 1;
    scan = nl;
    if (found === count) break;
  }
  if (count === 0) from = end;
  const lines = countLines(buf.subarray(from, end));
  const firstLine = total !== undefined ? total - lines + 1 : undefined;
  if (end - from <= cap) return { bytes: buf.subarray(from, end), firstLine, lastLine: total, totalLines: total };
  // Keep the end: drop whole lines from the front while too big.
  const nl = buf.indexOf(NL, end - cap - 1);
  if (nl >= 0 && nl + 1 < end) {
    const dropped = countNewlines(buf, from, nl + 1);
    const first = firstLine !== undefined ? firstLine + dropped : undefined;
    return { bytes: buf.subarray(nl + 1, end), firstLine: first, lastLine: total, totalLines: total, cut: { kind: 'lines', previousLine: first !== undefined ? first - 1 : undefined } };
  }
  // The last line alone is longer than the cap: show its end.
  let cutAt = end - cap;
  while (cutAt < end && (buf[cutAt] & 0xc0) === 0x80) cutAt++;
  end = Math.min(end, buf.length);
  return { bytes: buf.subarray(cutAt, end), firstLine: total, lastLine: total, totalLines: total, cut: { kind: 'char', previousLine: total !== undefined ? total - 1 : undefined } };
}

/** Lines in `buf`: newlines, plus one for a last line without one. */
export function countLines(buf: Buffer): number {
  if (buf.length === 0) return 0;
  return countNewlines(buf, 0, buf.length) + (buf[buf.length - 1] === NL ? 0 : 1);
}

function countNewlines(buf: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = buf.indexOf(NL, from); i >= 0 && i < to; i = buf.indexOf(NL, i + 1)) n++;
  return n;
}

/** Byte offset where 1-based `line` starts, or undefined past the end. */
function offsetOfLine(buf: Buffer, line: number): number | undefined {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const nl = buf.indexOf(NL, offset);
    if (nl < 0) return undefined;
    offset = nl + 1;
  }
  return offset < buf.length || (offset === 0 && line === 1) ? offset : undefined;
}

function offsetAfterLine(buf: Buffer, from: number, lines: number): number {
  let offset = from;
  for (let l = 0; l < lines; l++) {
    const nl = buf.indexOf(NL, offset);
    if (nl < 0) return buf.length;
    offset = nl + 1;
  }
  return offset;
}

/**
 * Reads what a selection needs from an open file: the whole file when small; for a large one, the
 * beginning up to the selection's end (or the cap), or the end for a tail.
 */
export function readForWindow(fd: number, size: number, req: LineRequest, cap: number): { buf: Buffer; whole: boolean; fromEnd: boolean } {
  if (size <= WHOLE_FILE_LIMIT) return { buf: readRange(fd, 0, size), whole: true, fromEnd: false };
  if (req.tail !== undefined) {
    let length = Math.min(size, CHUNK);
    for (;;) {
      const buf = readRange(fd, size - length, length);
      const enough = countNewlines(buf, 0, buf.length) > req.tail || buf.length > cap + CHUNK;
      if (enough || length === size) return { buf, whole: length === size, fromEnd: length !== size };
      length = Math.min(size, length * 4);
    }
  }
  const start = req.startLine ?? 1;
  const end = req.head !== undefined ? start + req.head - 1 : (req.endLine ?? Number.POSITIVE_INFINITY);
  let length = Math.min(size, CHUNK);
  for (;;) {
    const buf = readRange(fd, 0, length);
    if (length === size) return { buf, whole: true, fromEnd: false };
    const from = offsetOfLine(buf, start);
    if (from !== undefined) {
      const to = offsetAfterLine(buf, from, end - start + 1);
      const complete = to < buf.length || (end !== Number.POSITIVE_INFINITY && countNewlines(buf, from, buf.length) >= end - start + 1);
      if (complete || buf.length - from > cap + 4) return { buf, whole: false, fromEnd: false };
    }
    length = Math.min(size, length * 4);
  }
}

export function readRange(fd: number, position: number, length: number): Buffer {
  const buf = Buffer.allocUnsafe(length);
  let got = 0;
  while (got < length) {
    const n = readSync(fd, buf, got, length - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return got === length ? buf : buf.subarray(0, got);
}
