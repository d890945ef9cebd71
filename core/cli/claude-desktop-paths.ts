import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Where Claude Desktop keeps claude_desktop_config.json on this platform. CLAUDE_DESKTOP_CONFIG
 * overrides it (tests, portable installs). On Linux Claude Desktop (Electron) honours XDG_CONFIG_HOME.
 */
export function claudeDesktopConfigPath(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  if (env.CLAUDE_DESKTOP_CONFIG) return resolve(env.CLAUDE_DESKTOP_CONFIG);
  const file = 'claude_desktop_config.json';
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Claude', file);
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Claude', file);
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'Claude', file);
}
