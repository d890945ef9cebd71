/** The instance config, as validated by plugin.json's configSchema (defaults filled in). */
export type Profile = 'read' | 'operate' | 'admin';

export interface Limits {
  memoryMb: number;
  cpus: number;
  pids: number;
}

export interface DockerConfig {
  socketPath?: string;
  host?: string;
  port?: number;
  tls?: { caFile: string; certFile?: string; keyFile?: string };
  profile: Profile;
  maxLogBytes: number;
  managedOnly: boolean;
  allowedBindRoots: string[];
  allowedImages?: string[];
  apiTimeoutMs: number;
  publishAddress: string;
  defaultLimits: Limits;
  maxLimits: Limits;
  execTimeoutMs: number;
  pullTimeoutMs: number;
  subscriptionThrottleMs: number;
}

const RANK: Record<Profile, number> = { read: 0, operate: 1, admin: 2 };

/** Whether the configured profile includes `needed`. */
export function allows(config: DockerConfig, needed: Profile): boolean {
  return RANK[config.profile] >= RANK[needed];
}
