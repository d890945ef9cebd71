import { resolve } from 'node:path';
import { findConfigFile } from '../config/find-config-file.js';

export interface ConfigSource {
  path: string;
  /** Which lookup rule chose the path, in the user's terms. */
  rule: '--config' | 'MCP_HOST_CONFIG' | './plugins.json' | 'the user config folder';
}

/** The config path findConfigFile picks, and the rule that picked it (for doctor's report). */
export function locateConfig(configFlag: string | undefined, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): ConfigSource {
  const path = findConfigFile(configFlag, env, cwd);
  if (configFlag) return { path, rule: '--config' };
  if (env.MCP_HOST_CONFIG) return { path, rule: 'MCP_HOST_CONFIG' };
  if (path === resolve(cwd, 'plugins.json')) return { path, rule: './plugins.json' };
  return { path, rule: 'the user config folder' };
}
