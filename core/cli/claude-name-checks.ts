import { CLIENT_SAFE_NAME } from '../registry/naming.js';

/** Claude Code calls a server's tool `mcp__<entry>__<tool>`, and the whole name must stay within 64 characters. */
export function claudeCodeRoom(entryName: string): number {
  return 64 - 'mcp__'.length - entryName.length - '__'.length;
}

/** Names Claude clients reject (Claude Desktop then hides the server's whole toolset). */
export function invalidNames(names: string[]): string[] {
  return names.filter((n) => !CLIENT_SAFE_NAME.test(n));
}

/** Names that fit the 64 characters on their own but not after Claude Code's prefix. */
export function tooLongForClaudeCode(names: string[], entryName: string): string[] {
  const room = claudeCodeRoom(entryName);
  return names.filter((n) => n.length > room);
}
