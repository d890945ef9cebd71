/** The validated, normalized plugins.json. */
export interface InstanceConfig {
  /** Instance name: the key in `plugins`. */
  id: string;
  plugin: string;
  enabled: boolean;
  namespace: string;
  /** After ${VAR} interpolation; secrets inside, never log it. */
  config: Record<string, unknown>;
}

export interface HostConfig {
  /** Absolute path of plugins.json (or of where it would be). */
  path: string;
  /** Folder of plugins.json: relative paths resolve against it. */
  baseDir: string;
  pluginDirs: string[];
  logLevel: 'error' | 'warn' | 'info' | 'debug';
  logFile?: string;
  startupWaitMs: number;
  listPageSize: number;
  timeouts: { registerMs: number; startMs: number; stopMs: number; drainMs: number };
  /** How tools reach clients: listed directly, only through host__search_tools/host__call_tool, or both. */
  toolExposure: 'direct' | 'meta' | 'both';
  /** Follow edits of plugins.json, .env and plugin folders. */
  watch: boolean;
  /** In the order of the file. */
  instances: InstanceConfig[];
  /** Values that came from the environment or .env: the logger redacts them. */
  secrets: string[];
}
