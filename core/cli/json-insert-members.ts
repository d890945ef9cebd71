/**
 * Adds members to one object of a JSON document by inserting text, so the rest of the file keeps its
 * formatting byte for byte (a reformatted plugins.json would bury the real change in its diff).
 * `key` names a member of the root object ("plugins"); it is created if missing. Returns undefined
 * when the text is not a JSON object (the caller then refuses).
 */
export function insertMembers(text: string, key: string, members: [string, unknown][]): string | undefined {
  if (members.length === 0) return text;
  if (text.trim() === '') return `${render({ [key]: Object.fromEntries(members) }, '')}\n`;
  const root = skipSpace(text, 0);
  if (text[root] !== '{') return undefined;
  const rootEnd = valueEnd(text, root);
  if (rootEnd === undefined) return undefined;
  const rootIndent = lineIndent(text, root);
  const target = findMember(text, root, key);
  if (target === undefined) {
    const unit = memberIndent(text, root, rootIndent + '  ');
    const value = render(Object.fromEntries(members), unit);
    return insertBefore(text, root, rootEnd - 1, unit, [`${JSON.stringify(key)}: ${value}`], rootIndent);
  }
  if (text[target] !== '{') return undefined;
  const end = valueEnd(text, target)!;
  const parentIndent = lineIndent(text, target);
  const indent = memberIndent(text, target, memberIndent(text, root, rootIndent + '  ') + '  ');
  const lines = members.map(([name, value]) => `${JSON.stringify(name)}: ${render(value, indent)}`);
  return insertBefore(text, target, end - 1, indent, lines, parentIndent);
}

/** Inserts members before the closing brace at `close` of the object opened at `open`. */
function insertBefore(text: string, open: number, close: number, indent: string, members: string[], closeIndent: string): string {
  const body = members.map((m) => `${indent}${m}`).join(',\n');
  const last = lastNonSpace(text, close - 1);
  if (last === open) return `${text.slice(0, open + 1)}\n${body}\n${closeIndent}${text.slice(close)}`;
  return `${text.slice(0, last + 1)},\n${body}${text.slice(last + 1)}`;
}

/** Pretty JSON whose continuation lines sit under `indent`; short arrays of plain values stay on one line (`"args": ["-y", "x"]`). */
function render(value: unknown, indent: string): string {
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    const flat = `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
    if (value.every((v) => v === null || typeof v !== 'object') && flat.length <= 100) return flat;
    return `[\n${value.map((v) => inner + render(v, inner)).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${render(v, inner)}`).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

/** The indentation of the first member of the object at `open`, or `fallback` if it has none on its own line. */
function memberIndent(text: string, open: number, fallback: string): string {
  const first = skipSpace(text, open + 1);
  if (text[first] !== '"') return fallback;
  const lineStart = text.lastIndexOf('\n', first) + 1;
  return lineStart > open ? text.slice(lineStart, first) : fallback;
}

function lineIndent(text: string, at: number): string {
  const lineStart = text.lastIndexOf('\n', at) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

/** Where the value of member `key` of the object at `open` starts, if it has one. */
function findMember(text: string, open: number, key: string): number | undefined {
  let i = skipSpace(text, open + 1);
  while (text[i] === '"') {
    const keyEnd = stringEnd(text, i);
    if (keyEnd === undefined) return undefined;
    const name = JSON.parse(text.slice(i, keyEnd)) as string;
    const colon = skipSpace(text, keyEnd);
    if (text[colon] !== ':') return undefined;
    const value = skipSpace(text, colon + 1);
    if (name === key) return value;
    const end = valueEnd(text, value);
    if (end === undefined) return undefined;
    i = skipSpace(text, end);
    if (text[i] !== ',') return undefined;
    i = skipSpace(text, i + 1);
  }
  return undefined;
}

/** The index just after the JSON value starting at `start`. */
function valueEnd(text: string, start: number): number | undefined {
  const c = text[start];
  if (c === '"') return stringEnd(text, start);
  if (c !== '{' && c !== '[') {
    const m = /^[^\s,}\]]+/.exec(text.slice(start));
    return m ? start + m[0].length : undefined;
  }
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      const end = stringEnd(text, i);
      if (end === undefined) return undefined;
      i = end - 1;
    } else if (ch === '{' || ch === '[') {
      depth++;
    } else if (ch === '}' || ch === ']') {
      if (--depth === 0) return i + 1;
    }
  }
  return undefined;
}

function stringEnd(text: string, start: number): number | undefined {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i + 1;
  }
  return undefined;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && /\s/.test(text[i])) i++;
  return i;
}

function lastNonSpace(text: string, i: number): number {
  while (i >= 0 && /\s/.test(text[i])) i--;
  return i;
}
