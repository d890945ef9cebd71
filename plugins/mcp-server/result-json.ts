import { isUtf8 } from 'node:buffer';

/**
 * The UTF-8 bytes of the `result` member of a JSON-RPC response line, as the server wrote them, so the host can
 * send them on without decoding and encoding them again (RESULT_JSON in the plugin API). `line` must be bytes whose
 * text JSON.parse accepted. The bytes returned are a view into `line`, not a copy.
 *
 * They are given only when they mean exactly what the parsed object means to every JSON parser: the line is valid
 * UTF-8 (else decoders differ on the replacement), one object with a top-level "result" object, no object anywhere
 * in it has a key twice (parsers differ on which duplicate wins: a hostile server could show the client a value the
 * host never checked) or a key with an escape (`"\u0063ontent"` is "content" too), and no carriage return stands
 * between its tokens (a server-sent event would end there). Strings are skipped with indexOf, so a large result costs
 * a few native searches, not a walk over every byte; UTF-8 never uses an ASCII byte inside a longer character, so
 * looking for quotes and braces byte by byte is exact. Anything unusual gives undefined: the host then serializes
 * the object.
 */
export function resultJson(line: Buffer): Buffer | undefined {
  if (!isUtf8(line)) return undefined;
  // Per open object: its keys so far, and whether a key comes next; null for an open array.
  const stack: (OpenObject | null)[] = [];
  let resultStart = -1;
  let resultEnd = -1;
  let i = 0;
  const n = line.length;
  while (i < n) {
    const c = line[i];
    if (c === QUOTE) {
      const end = stringEnd(line, i);
      const top = stack[stack.length - 1];
      if (top?.expectKey) {
        // latin1: one character per byte, so equal keys are equal bytes (and valid UTF-8 is one text per bytes).
        const key = line.toString('latin1', i + 1, end);
        if (key.includes('\\') || !top.add(key)) return undefined;
        top.expectKey = false;
        if (stack.length === 1 && key === 'result') {
          resultStart = valueStart(line, end + 1);
          if (line[resultStart] !== OPEN_BRACE) return undefined;
        }
      }
      i = end + 1;
      continue;
    }
    if (c === OPEN_BRACE) stack.push(new OpenObject());
    else if (c === OPEN_BRACKET) stack.push(null);
    else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      stack.pop();
      if (stack.length === 1 && resultStart >= 0 && resultEnd < 0) resultEnd = i + 1;
      if (stack.length === 0 && !onlySpace(line, i + 1)) return undefined;
    } else if (c === COMMA) {
      const top = stack[stack.length - 1];
      if (top) top.expectKey = true;
    } else if (c === CR && resultStart >= 0 && i > resultStart && resultEnd < 0) return undefined;
    i++;
  }
  return resultStart >= 0 && resultEnd > resultStart ? line.subarray(resultStart, resultEnd) : undefined;
}

/** An object being scanned: its keys so far (a short list, a Set past a few: a hostile object may have many). */
class OpenObject {
  expectKey = true;
  private list: string[] = [];
  private set?: Set<string>;

  /** False if the object has `key` already. */
  add(key: string): boolean {
    if (this.set) {
      if (this.set.has(key)) return false;
      this.set.add(key);
      return true;
    }
    if (this.list.includes(key)) return false;
    this.list.push(key);
    if (this.list.length > 8) this.set = new Set(this.list);
    return true;
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;

const isSpace = (c: number | undefined) => c === SPACE || c === TAB || c === LF || c === CR;

/** The index of the quote that ends the string opening at `start` (one not escaped by an odd run of backslashes). */
function stringEnd(line: Buffer, start: number): number {
  let from = start + 1;
  for (;;) {
    const quote = line.indexOf(QUOTE, from);
    if (quote < 0) return line.length;
    let backslashes = 0;
    while (line[quote - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote;
    from = quote + 1;
  }
}

/** The first byte of the value after a key's closing quote at `from` (past the colon and whitespace). */
function valueStart(line: Buffer, from: number): number {
  let i = line.indexOf(COLON, from) + 1;
  while (i < line.length && isSpace(line[i])) i++;
  return i;
}

function onlySpace(line: Buffer, from: number): boolean {
  for (let i = from; i < line.length; i++) if (!isSpace(line[i])) return false;
  return true;
}
