import { isUtf8 } from 'node:buffer';

export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be';
export type LineEnding = 'lf' | 'crlf' | 'mixed' | 'none';

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export interface TextShape {
  encoding: Encoding;
  bom: boolean;
  /** For UTF-8: whether every byte sequence is valid (a file that is not is never re-encoded). */
  validUtf8: boolean;
  /** A NUL byte in UTF-8 content: a binary file. */
  binary: boolean;
}

/** What kind of text `bytes` (a whole file, or its start when `partial`) is. */
export function textShape(bytes: Buffer, partial = false): TextShape {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', bom: true, validUtf8: false, binary: false };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', bom: true, validUtf8: false, binary: false };
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const binary = bytes.indexOf(0) >= 0;
  // A partial buffer may end inside a character: check up to the last character start.
  const checked = partial ? bytes.subarray(0, charBoundary(bytes, bytes.length)) : bytes;
  return { encoding: 'utf-8', bom, validUtf8: !binary && isUtf8(checked), binary };
}

/** Decodes a whole file's bytes to text without its BOM. */
export function decodeText(bytes: Buffer, shape: TextShape): string {
  if (shape.encoding === 'utf-8') return bytes.toString('utf8', shape.bom ? 3 : 0);
  const body = bytes.subarray(2);
  if (shape.encoding === 'utf-16le') return body.toString('utf16le');
  const swapped = Buffer.from(body.subarray(0, body.length - (body.length % 2)));
  swapped.swap16();
  return swapped.toString('utf16le');
}

/** Encodes text back the way `shape` says the file was (BOM included). Only UTF-8 is ever written. */
export function encodeUtf8(text: string, bom: boolean): Buffer {
  const body = Buffer.from(text, 'utf8');
  return bom ? Buffer.concat([UTF8_BOM, body]) : body;
}

export function lineEnding(text: string): LineEnding {
  const lf = countOf(text, '\n');
  if (lf === 0) return 'none';
  const crlf = countOf(text, '\r\n');
  if (crlf === 0) return 'lf';
  return crlf === lf ? 'crlf' : 'mixed';
}

function countOf(text: string, needle: string): number {
  let n = 0;
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length)) n++;
  return n;
}

/** The largest index ≤ `end` that does not split a UTF-8 character of `bytes`. */
export function charBoundary(bytes: Buffer, end: number): number {
  let i = Math.min(end, bytes.length);
  if (i === bytes.length) {
    // Whole buffer: back off only an incomplete trailing sequence.
    let start = i - 1;
    while (start >= 0 && i - start <= 4 && (bytes[start] & 0xc0) === 0x80) start--;
    if (start < 0) return i;
    const lead = bytes[start];
    const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
    return i - start >= need ? i : start;
  }
  while (i > 0 && (bytes[i] & 0xc0) === 0x80) i--;
  return i;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GiB`;
}
