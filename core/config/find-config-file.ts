import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** The user's config folder for mcp-host on this platform. */
export function userConfigDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'mcp-host');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'mcp-host');
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'mcp-host'); // empty means unset (XDG spec)
}

/** Where the config comes from: `--config`, else MCP_HOST_CONFIG, else ./plugins.json, else the user's config folder. */
export function findConfigFile(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  if (explicit) return resolve(cwd, explicit);
  if (env.MCP_HOST_CONFIG) return resolve(cwd, env.MCP_HOST_CONFIG);
  const local = resolve(cwd, 'plugins.json');
  if (existsSync(local)) return local;
  return join(userConfigDir(env), 'plugins.json');
}
