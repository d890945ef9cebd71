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

/** `serve --http` settings (read once at start-up). */
export interface HttpConfig {
  /** After ${VAR} interpolation (an unset variable leaves it undefined); MCP_HOST_TOKEN overrides it. */
  token?: string;
  allowedHosts: string[];
  allowedOrigins: string[];
  maxBodyBytes: number;
  rateLimit: { windowMs: number; max: number };
  sessionIdleMs: number;
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
  http: HttpConfig;
  /** In the order of the file. */
  instances: InstanceConfig[];
  /** Values that came from the environment or .env: the logger redacts them. */
  secrets: string[];
}
