import { atomicWrite } from '../io/atomic-write.js';
import { FsError } from '../safety/fs-error.js';
import type { ToolFactory } from '../services.js';
import { decodeText, encodeUtf8, lineEnding } from '../text/encoding.js';
import { objectSchema, pathProp } from '../util/schema.js';
import { readCurrent, sha256 } from './read-for-write.js';

interface Edit {
  oldText: string;
  newText: string;
  replaceAll?: boolean;
}

interface Args {
  path: string;
  edits: Edit[];
  dryRun?: boolean;
}

export const editFile: ToolFactory = (s) => ({
  name: 'edit_file',
  title: 'Edit a file',
  description:
    'Replaces exact text in a UTF-8 text file and returns a unified diff. Each oldText must occur exactly once (add surrounding lines to make it unique) unless replaceAll is set; ' +
    'edits apply in order, all or none. Line endings: write "\\n"; a CRLF file stays CRLF. The BOM and permissions are kept; the write is atomic. dryRun shows the diff without writing.',
  inputSchema: objectSchema(
    {
      path: pathProp('File path'),
      edits: {
        type: 'array',
        minItems: 1,
        maxItems: 100,
        items: objectSchema(
          {
            oldText: { type: 'string', minLength: 1, description: 'Exact text to replace' },
            newText: { type: 'string', description: 'Replacement text' },
            replaceAll: { type: 'boolean', default: false, description: 'Replace every occurrence' },
          },
          ['oldText', 'newText'],
        ),
      },
      dryRun: { type: 'boolean', default: false, description: 'Only show the diff' },
    },
    ['path', 'edits'],
  ),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  handler: async (args: Args) => {
    const { roots } = await s.roots.effective();
    const target = s.resolver.forWrite(args.path, roots);
    if (!target.existing) throw new FsError(`${args.path}: no such file (use write_file to create it)`);
    if (!target.existing.isFile()) throw new FsError(`${args.path}: not a regular file`);
    const current = readCurrent(target.real, args.path);
    const shape = current.shape;
    if (shape.binary || shape.encoding !== 'utf-8' || !shape.validUtf8) {
      const what = shape.binary ? 'a binary file' : shape.encoding !== 'utf-8' ? `${shape.encoding} text` : 'not valid UTF-8';
      throw new FsError(`${args.path}: is ${what}; edit_file only edits UTF-8 text and never re-encodes a file`);
    }
    const original = decodeText(current.bytes, shape);
    const eol = lineEnding(original);
    // CRLF files are edited in an LF view and converted back, so the model's "\n" text matches.
    const before = eol === 'crlf' ? original.replace(/\r\n/g, '\n') : original;
    let work = before;
    args.edits.forEach((edit, i) => {
      work = applyEdit(work, edit, i + 1, args.edits.length, eol);
    });
    const changed = work !== before;
    // Loaded on first use, like the other parsers: start-up should not pay for it.
    const { createTwoFilesPatch } = await import('diff');
    const diff = changed ? createTwoFilesPatch(target.real, target.real, before, work, undefined, undefined, { context: 3 }) : '';
    const stats = diffStats(diff);
    if (!changed) return { content: [{ type: 'text', text: 'No change: the edits leave the file as it is.' }] };
    let summary: string;
    if (args.dryRun) {
      summary = `Dry run: ${args.edits.length} edit(s) would change ${target.real} (+${stats.added} -${stats.removed} lines); nothing written.`;
    } else {
      const after = eol === 'crlf' ? work.replace(/\n/g, '\r\n') : work;
      const data = encodeUtf8(after, shape.bom);
      atomicWrite(target.parentReal, target.name, data, { expected: current.stat, shown: args.path });
      summary = `Edited ${target.real}: ${args.edits.length} edit(s), +${stats.added} -${stats.removed} lines. sha256 ${sha256(data)}`;
    }
    return { content: [{ type: 'text', text: `${summary}\n\n${diff}` }] };
  },
});

function applyEdit(text: string, edit: Edit, n: number, of: number, eol: string): string {
  const label = of > 1 ? `edit ${n}: ` : '';
  let oldText = eol === 'mixed' ? edit.oldText : edit.oldText.replace(/\r\n/g, '\n');
  const newText = eol === 'mixed' ? edit.newText : edit.newText.replace(/\r\n/g, '\n');
  let positions = occurrences(text, oldText);
  if (positions.length === 0 && eol === 'mixed' && oldText.includes('\n')) {
    // A file with both kinds of line ending: try the other one.
    const alt = oldText.includes('\r\n') ? oldText.replace(/\r\n/g, '\n') : oldText.replace(/\n/g, '\r\n');
    const altPositions = occurrences(text, alt);
    if (altPositions.length > 0) {
      oldText = alt;
      positions = altPositions;
    }
  }
  if (positions.length === 0) throw new FsError(`${label}oldText not found; nothing written.${nearMiss(text, oldText)}`);
  if (positions.length > 1 && !edit.replaceAll) {
    const lines = positions.slice(0, 10).map((p) => lineAt(text, p));
    throw new FsError(
      `${label}oldText occurs ${positions.length} times (at lines ${lines.join(', ')}${positions.length > 10 ? ', …' : ''}); add surrounding text to make it unique, or set replaceAll. Nothing written.`,
    );
  }
  // Built by slicing: replacement text is never interpreted (no `$&` patterns).
  let out = '';
  let last = 0;
  for (const p of positions) {
    out += text.slice(last, p) + newText;
    last = p + oldText.length;
  }
  return out + text.slice(last);
}

function occurrences(text: string, needle: string): number[] {
  const out: number[] = [];
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length)) out.push(i);
  return out;
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** A hint when oldText is not found: the same text with other whitespace, or where its first line occurs. */
function nearMiss(text: string, oldText: string): string {
  const squash = (t: string) => t.replace(/\s+/g, ' ').trim();
  const firstLine = oldText.split('\n').find((l) => l.trim().length > 0)?.trim();
  if (!firstLine) return '';
  const lines = text.split('\n');
  const hits: number[] = [];
  for (let i = 0; i < lines.length && hits.length < 5; i++) if (lines[i].includes(firstLine)) hits.push(i + 1);
  if (hits.length === 0) return ' Its first line does not occur either: read the file again.';
  const span = oldText.split('\n').length;
  const candidate = lines.slice(hits[0] - 1, hits[0] - 1 + span).join('\n');
  const whitespace = squash(candidate) === squash(oldText) ? ' (the text there differs only in whitespace or indentation)' : '';
  return ` Its first line occurs at line ${hits.join(', ')}${whitespace}: read those lines and copy them exactly.`;
}

function diffStats(diff: string): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const line of diff.split('\n')) {
    if (line.startsWith('+') && !line.startsWith('+++')) added++;
    else if (line.startsWith('-') && !line.startsWith('---')) removed++;
  }
  return { added, removed };
}
