import { existsSync } from 'node:fs';
import { findConfigFile } from '../config/find-config-file.js';
import { claudeDesktopConfigPath } from './claude-desktop-paths.js';
import { claudeDesktopSnippet, DEFAULT_ENTRY_NAME, serverEntry } from './claude-desktop-entry.js';
import { ClaudeConfigRefused, mergeClaudeDesktopConfig } from './merge-claude-desktop-config.js';
import { print } from './print.js';

export const RESTART_REMINDER =
  'Quit Claude Desktop completely (macOS: Cmd+Q; Windows: right-click the tray icon → Quit; closing the window is not enough) and start it again to load the change.';

/**
 * Prints the claude_desktop_config.json entry for this host (stdout is exactly the JSON, so it can be
 * piped); with `write`, merges it into Claude Desktop's own config for this platform.
 */
export async function claudeConfig(configFlag: string | undefined, write: boolean, name: string | undefined): Promise<number> {
  const entryName = name ?? DEFAULT_ENTRY_NAME;
  if (entryName.trim() === '') {
    process.stderr.write('mcp-host claude-config: --name must not be empty\n');
    return 2;
  }
  const configPath = findConfigFile(configFlag);
  if (!existsSync(configPath)) process.stderr.write(`warning: ${configPath} does not exist yet; the entry points at it, create it before starting Claude Desktop\n`);
  const snippet = claudeDesktopSnippet(configPath, entryName);
  if (!write) {
    print(JSON.stringify(snippet, null, 2));
    return 0;
  }

  const target = claudeDesktopConfigPath();
  let result;
  try {
    result = mergeClaudeDesktopConfig(target, entryName, serverEntry(configPath));
  } catch (error) {
    const reason = error instanceof ClaudeConfigRefused ? error.message : `cannot write ${target}: ${(error as Error).message}`;
    process.stderr.write(`mcp-host claude-config: ${reason}\n`);
    return 1;
  }
  if (result.outcome === 'unchanged') {
    print(`${result.path} already has this "${entryName}" entry; nothing written.`);
    return 0;
  }
  const verb = { created: 'Created', added: 'Added', replaced: 'Replaced' }[result.outcome];
  print(`${verb} the "${entryName}" entry in ${result.path}${result.outcome === 'replaced' ? ' (the previous one differed)' : ''}:`);
  print(JSON.stringify(snippet, null, 2));
  if (result.backup) print(`Backup of the previous file: ${result.backup}`);
  print(RESTART_REMINDER);
  return 0;
}
