/** The instance config, as validated by plugin.json's configSchema (defaults filled in). */
export interface PostgresConfig {
  connectionString: string;
  maxRows: number;
  maxResultBytes: number;
  statementTimeoutMs: number;
  pool: { max: number; idleTimeoutMs: number; connectionTimeoutMs: number };
  ssl?: { mode: 'disable' | 'require' | 'verify-full'; caFile?: string; certFile?: string; keyFile?: string; servername?: string };
  schemas?: string[];
  allowWrites: boolean;
  metricsIntervalMs: number;
}
