import { existsSync, mkdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { findConfigFile } from '../config/find-config-file.js';
import { packagePath } from '../util/package-root.js';
import { claudeDesktopConfigPath } from './claude-desktop-paths.js';
import { cliEntryPath } from './claude-desktop-entry.js';
import { importEntries, looksLikeHost, type ImportedEntry } from './claude-server-entries.js';
import { insertMembers } from './json-insert-members.js';
import { maskInstance, maskUrlPassword } from './mask-secrets.js';
import { print } from './print.js';
import { writeFileAtomic } from './write-file-atomic.js';

export interface ImportOptions {
  /** The Claude config to read (default: Claude Desktop's on this platform). */
  file?: string;
  /** --config: the plugins.json to add to. */
  config?: string;
  write: boolean;
  showSecrets: boolean;
}

type Added = Extract<ImportedEntry, { id: string }>;

/**
 * `mcp-host import-claude-config [FILE]`: every `mcpServers` entry of a Claude config becomes an
 * `mcp-server` instance in plugins.json. A dry run by default: prints the unified diff of
 * plugins.json (env and header values hidden) and what was skipped; `--write` applies it atomically.
 * Existing instances are never touched: plugins.json only gains members.
 */
export async function importClaudeConfig(options: ImportOptions): Promise<number> {
  const source = options.file ? resolve(options.file) : claudeDesktopConfigPath();
  let servers: Record<string, unknown>;
  try {
    servers = readServers(source);
  } catch (error) {
    process.stderr.write(`mcp-host import-claude-config: ${(error as Error).message}\n`);
    return 1;
  }
  const configPath = findConfigFile(options.config);
  // Follow a symlinked plugins.json (dotfile setups) so the link survives the rename.
  const target = existsSync(configPath) ? realpathSync(configPath) : configPath;
  const before = existsSync(target) ? readFileSync(target, 'utf8').replace(/^\uFEFF/, '') : '';
  let existing: Record<string, unknown>;
  try {
    existing = existingInstances(before, target);
  } catch (error) {
    process.stderr.write(`mcp-host import-claude-config: ${(error as Error).message}\n`);
    return 1;
  }

  const hostPaths = [cliEntryPath(), packagePath('dist', 'core', 'cli', 'main.js')];
  const entries = importEntries(servers, existing, (entry) => looksLikeHost(entry, hostPaths));
  const added = entries.filter((e): e is Added => 'id' in e);
  const after = insertMembers(before, 'plugins', added.map((e) => [e.id, e.instance]));
  const shown = insertMembers(before, 'plugins', added.map((e) => [e.id, options.showSecrets ? e.instance : maskInstance(e.instance)]));
  if (after === undefined || shown === undefined || !parsesWith(after, added)) {
    process.stderr.write(`mcp-host import-claude-config: ${target} could not be extended safely; nothing was written\n`);
    return 1;
  }

  print(`Servers in ${source}:`);
  if (entries.length === 0) print('  (none)');
  for (const entry of entries) print(describe(entry, options.showSecrets));
  if (added.length === 0) {
    print(`Nothing to add to ${target}.`);
    return 0;
  }
  print('');
  print(createTwoFilesPatch(target, target, before, shown, 'now', options.write ? 'written' : 'with --write').trimEnd());
  print('');
  const hidden = !options.showSecrets && added.some((e) => e.instance.config.env || e.instance.config.headers);
  if (hidden) print('Values of env and headers are shown as <hidden> (--show-secrets prints them); plugins.json gets them as they are in the Claude config.');
  if (!options.write) {
    print('Dry run: nothing was written. Run again with --write to apply this.');
    return 0;
  }

  try {
    mkdirSync(dirname(target), { recursive: true });
    const secrets = added.some((e) => e.instance.config.env || e.instance.config.headers);
    writeFileAtomic(target, after, before === '' && !existsSync(target) ? (secrets ? 0o600 : 0o644) : statSync(target).mode & 0o777);
  } catch (error) {
    process.stderr.write(`mcp-host import-claude-config: cannot write ${target}: ${(error as Error).message}\n`);
    return 1;
  }
  print(`Wrote ${added.length} instance${added.length === 1 ? '' : 's'} to ${target}.`);
  if (existsSync(target) && (statSync(target).mode & 0o077) !== 0 && added.some((e) => e.instance.config.env || e.instance.config.headers)) {
    print(`Note: ${target} now holds env/header values (tokens?) and other users can read it: chmod 600 it, or move the values to the .env file beside it and write "\${NAME}" instead.`);
  }
  print(
    `Next: Claude Desktop still starts these servers itself. Remove them from ${source}, add mcp-host there (mcp-host claude-config --write), and restart Claude Desktop.`,
  );
  return 0;
}

function readServers(source: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(source, 'utf8').replace(/^\uFEFF/, '');
  } catch (error) {
    throw new Error(`cannot read ${source}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source} is not valid JSON (${(error as Error).message})`);
  }
  const servers = (doc as { mcpServers?: unknown })?.mcpServers;
  if (servers === undefined) return {};
  if (typeof servers !== 'object' || servers === null || Array.isArray(servers)) throw new Error(`${source}: "mcpServers" is not an object`);
  return servers as Record<string, unknown>;
}

function existingInstances(text: string, target: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new Error(`${target} is not valid JSON (${(error as Error).message}); fix it first, nothing was written`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new Error(`${target} does not hold a JSON object; fix it first, nothing was written`);
  const plugins = (doc as { plugins?: unknown }).plugins;
  if (plugins === undefined) return {};
  if (typeof plugins !== 'object' || plugins === null || Array.isArray(plugins)) throw new Error(`${target}: "plugins" is not an object; fix it first, nothing was written`);
  return plugins as Record<string, unknown>;
}

/** The text parses and holds every added instance as built (the insertion kept the document intact). */
function parsesWith(text: string, added: Added[]): boolean {
  try {
    const plugins = JSON.parse(text).plugins as Record<string, unknown>;
    return added.every((e) => JSON.stringify(plugins[e.id]) === JSON.stringify(e.instance));
  } catch {
    return false;
  }
}

function describe(entry: ImportedEntry, showSecrets: boolean): string {
  if (!('id' in entry)) return `  skipped  "${entry.name}": ${entry.skipped}`;
  const config = entry.instance.config;
  const where = entry.kind === 'http' ? String(config.url) : [config.command, ...((config.args as string[]) ?? [])].join(' ');
  const disabled = entry.instance.enabled === false ? ' (disabled, as in the Claude config)' : '';
  return `  add      "${entry.name}" as instance "${entry.id}" (tools ${entry.id}__*): ${showSecrets ? where : maskUrlPassword(where)}${disabled}`;
}
