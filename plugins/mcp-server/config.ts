/** The instance config, as validated by plugin.json's configSchema (defaults filled in). */
export interface McpServerConfig {
  /** stdio */
  command?: string;
  args?: string[];
  env?: Record<string, string>;
  inheritEnv?: string[];
  cwd?: string;
  /** Streamable HTTP */
  url?: string;
  headers?: Record<string, string>;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  catalogWaitMs: number;
  reconnectMinMs: number;
  reconnectMaxMs: number;
  killGraceMs: number;
  stderrMaxLineChars: number;
  stderrLinesPerMinute: number;
  includeTools?: string[];
  excludeTools?: string[];
  forwardRoots: boolean;
}

/** A one-line description of where the server is, for logs and errors (never the env or headers: they hold secrets). */
export function describeTarget(config: McpServerConfig): string {
  if (config.url) return redactUrl(config.url);
  return [config.command, ...(config.args ?? [])].join(' ');
}

/** The URL without its userinfo and query (either may carry a token). */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}${parsed.search ? '?…' : ''}`;
  } catch {
    return '(invalid URL)';
  }
}
