import { readFileSync } from 'node:fs';
import { packagePath } from '../util/package-root.js';

export const DEFAULT_ENTRY_NAME = 'mcp-host';

export interface ServerEntry {
  command: string;
  args: string[];
}

/**
 * The `mcp-host` command's script as package.json's `bin` names it (the bundled CLI, which starts
 * fastest), whichever build file is running now.
 */
export function cliEntryPath(): string {
  const bin = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')).bin;
  return packagePath(typeof bin === 'string' ? bin : bin['mcp-host']);
}

/**
 * The claude_desktop_config.json server entry that runs this host. Absolute paths everywhere:
 * Claude Desktop starts servers without the shell's PATH, so `node` or `mcp-host` alone may not resolve.
 */
export function serverEntry(configPath: string): ServerEntry {
  return { command: process.execPath, args: [cliEntryPath(), 'serve', '--config', configPath] };
}

/** `{"mcpServers": {"<name>": entry}}`, the snippet a user pastes into claude_desktop_config.json. */
export function claudeDesktopSnippet(configPath: string, name = DEFAULT_ENTRY_NAME): { mcpServers: Record<string, ServerEntry> } {
  return { mcpServers: { [name]: serverEntry(configPath) } };
}
