/** The validated, normalized plugins.json. */
export interface InstanceConfig {
  /** Instance name: the key in `plugins`. */
  id: string;
  plugin: string;
  enabled: boolean;
  namespace: string;
  /** After ${VAR} interpolation; secrets inside, never log it. */
  config: Record<string, unknown>;
  /** Where the plugin runs, as written in plugins.json (undefined: the default for its kind, see core/isolation). */
  isolation?: IsolationSetting;
  /** Per-call time limit (ms) of tools/call, resources/read and prompts/get; 0 = none; progress re-arms it. Undefined: 60000. */
  timeoutMs?: number;
  /** Concurrency and rate limits of its tool calls; undefined = none. */
  limits?: CallLimits;
}

/** `limits` of an instance: a call over a limit is refused with an isError result, never queued. */
export interface CallLimits {
  /** Tool calls of this instance running at once. */
  maxConcurrent?: number;
  /** Calls per window for each tool of this instance (every tool has its own window). */
  rate?: RateLimit;
  /** Per tool (its own name or its exposed name); `rate: false` lifts the instance's rate for that tool. */
  tools?: Record<string, { maxConcurrent?: number; rate?: RateLimit | false }>;
}

export interface RateLimit {
  max: number;
  windowMs: number;
}

/** The audit log of tool calls (JSON lines, rotated by size). */
export interface AuditSettings {
  /** Off by default. */
  enabled: boolean;
  /** Absolute path. */
  file: string;
  /** The file is rotated before it would grow past this. */
  maxBytes: number;
  /** Rotated files kept (file.1 newest ... file.<keep>). */
  keep: number;
}

export type IsolationMode = 'in-process' | 'worker' | 'process';

/** `"isolation": "worker"` or the object form with its limits. */
export type IsolationSetting =
  | IsolationMode
  | { mode: IsolationMode; memoryLimitMb?: number; unresponsiveMs?: number; maxCrashes?: number; crashWindowMs?: number; cooldownMs?: number };

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
  audit: AuditSettings;
  /** In the order of the file. */
  instances: InstanceConfig[];
  /** Values that came from the environment or .env: the logger redacts them. */
  secrets: string[];
}
