import type { PluginLogger, ToolDefinition } from '../../core/api/index.js';
import type { FsConfig } from './config.js';
import type { DenyRules } from './safety/deny.js';
import type { PathResolver } from './safety/resolver.js';
import type { RootSet } from './safety/roots.js';
import type { ScanPool } from './scan/pool.js';

/** What every tool of one instance shares. */
export interface FsServices {
  config: FsConfig;
  roots: RootSet;
  resolver: PathResolver;
  deny: DenyRules;
  pool: ScanPool;
  logger: PluginLogger;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ToolFactory = (services: FsServices) => ToolDefinition<any>;

/** Annotations of tools that only look. */
export const READ_ONLY = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false } as const;
