import { constants, copyFileSync, existsSync, mkdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { ServerEntry } from './claude-desktop-entry.js';
import { writeFileAtomic } from './write-file-atomic.js';

export type MergeResult =
  | { outcome: 'created' | 'added' | 'replaced'; path: string; backup?: string }
  | { outcome: 'unchanged'; path: string };

/** The existing file cannot be merged into safely; nothing was written. */
export class ClaudeConfigRefused extends Error {}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Puts `mcpServers[name] = entry` into Claude Desktop's config at `file`, keeping every other server
 * and top-level key. Backs the old file up first, writes atomically, creates missing folders, and
 * writes nothing when the entry is already there (so repeated runs leave no trail of backups).
 */
export function mergeClaudeDesktopConfig(file: string, name: string, entry: ServerEntry, now = new Date()): MergeResult {
  // Follow a symlinked config (dotfile setups) so the link survives the rename.
  const path = existsSync(file) ? realpathSync(file) : file;
  const old = existsSync(path) ? readFileSync(path) : undefined;
  const doc = old === undefined ? {} : parse(old.toString('utf8'), path);
  const servers = doc.mcpServers ?? {};
  if (!isObject(servers)) throw new ClaudeConfigRefused(`${path}: "mcpServers" is not an object; fix it by hand, nothing was written`);
  if (isDeepStrictEqual(servers[name], entry)) return { outcome: 'unchanged', path };

  const outcome = old === undefined ? 'created' : name in servers ? 'replaced' : 'added';
  servers[name] = entry;
  doc.mcpServers = servers;
  mkdirSync(dirname(path), { recursive: true });
  const backup = old === undefined ? undefined : backUp(path, now);
  writeFileAtomic(path, JSON.stringify(doc, null, 2) + '\n', old === undefined ? 0o644 : statSync(path).mode & 0o777);
  return { outcome, path, ...(backup ? { backup } : {}) };
}

function parse(raw: string, path: string): Json {
  const text = raw.replace(/^\uFEFF/, ''); // Notepad saves a BOM, which JSON.parse rejects.
  // An empty file holds nothing to lose (it is still backed up).
  if (text.trim() === '') return {};
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new ClaudeConfigRefused(`${path} is not valid JSON (${(error as Error).message}); fix or move it first, nothing was written`);
  }
  if (!isObject(doc)) throw new ClaudeConfigRefused(`${path} does not hold a JSON object; fix or move it first, nothing was written`);
  return doc;
}

/** Copies the file to `<file>.bak-<timestamp>` (never overwriting an earlier backup). */
function backUp(path: string, now: Date): string {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  for (let n = 0; ; n++) {
    const backup = `${path}.bak-${stamp}${n ? `-${n}` : ''}`;
    try {
      copyFileSync(path, backup, constants.COPYFILE_EXCL);
      return backup;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}
