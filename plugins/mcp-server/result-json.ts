/**
 * The JSON text of the `result` member of a JSON-RPC response line, as the server wrote it, so the host can send
 * it on without serializing it again (RESULT_JSON in the plugin API). `line` must be text JSON.parse accepted.
 *
 * The text is given only when it means exactly what the parsed object means to every JSON parser: the line is one
 * object with a top-level "result" object, and no object anywhere in it has a key twice (parsers differ on which
 * duplicate wins: a hostile server could show the client a value the host never checked) or a key with an escape
 * (`"\u0063ontent"` is "content" too). Strings are skipped with indexOf, so a large result costs a few native
 * searches, not a walk over every character. Anything unusual gives undefined: the host then serializes the object.
 */
export function resultJson(line: string): string | undefined {
  // Per open object: its keys so far, and whether a key comes next; null for an open array.
  const stack: ({ keys: Set<string>; expectKey: boolean } | null)[] = [];
  let resultStart = -1;
  let resultEnd = -1;
  let i = 0;
  const n = line.length;
  while (i < n) {
    const c = line.charCodeAt(i);
    if (c === QUOTE) {
      const end = stringEnd(line, i);
      const top = stack[stack.length - 1];
      if (top?.expectKey) {
        const key = line.slice(i + 1, end);
        if (key.includes('\\') || top.keys.has(key)) return undefined;
        top.keys.add(key);
        top.expectKey = false;
        if (stack.length === 1 && key === 'result') {
          resultStart = valueStart(line, end + 1);
          if (line.charCodeAt(resultStart) !== OPEN_BRACE) return undefined;
        }
      }
      i = end + 1;
      continue;
    }
    if (c === OPEN_BRACE) stack.push({ keys: new Set(), expectKey: true });
    else if (c === OPEN_BRACKET) stack.push(null);
    else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      stack.pop();
      if (stack.length === 1 && resultStart >= 0 && resultEnd < 0) resultEnd = i + 1;
      if (stack.length === 0 && line.slice(i + 1).trim() !== '') return undefined;
    } else if (c === COMMA) {
      const top = stack[stack.length - 1];
      if (top) top.expectKey = true;
    }
    i++;
  }
  return resultStart >= 0 && resultEnd > resultStart ? line.slice(resultStart, resultEnd) : undefined;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;

/** The index of the quote that ends the string opening at `start` (one not escaped by an odd run of backslashes). */
function stringEnd(line: string, start: number): number {
  let from = start + 1;
  for (;;) {
    const quote = line.indexOf('"', from);
    if (quote < 0) return line.length;
    let backslashes = 0;
    while (line.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote;
    from = quote + 1;
  }
}

/** The first character of the value after a key's closing quote at `from` (past the colon and whitespace). */
function valueStart(line: string, from: number): number {
  let i = line.indexOf(':', from) + 1;
  while (i < line.length && (line[i] === ' ' || line[i] === '\t' || line[i] === '\n' || line[i] === '\r')) i++;
  return i;
}
