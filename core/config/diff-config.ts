import { isDeepStrictEqual } from 'node:util';
import type { HostConfig, InstanceConfig } from './config-types.js';

export interface ConfigDiff {
  added: InstanceConfig[];
  removed: InstanceConfig[];
  /** Same instance name, different plugin, namespace, enabled flag or config. */
  changed: InstanceConfig[];
  /** Top-level settings that differ (pluginDirs, logLevel, ...). */
  settings: (keyof HostConfig)[];
}

const SETTINGS: (keyof HostConfig)[] = ['pluginDirs', 'logLevel', 'logFile', 'startupWaitMs', 'listPageSize', 'timeouts', 'toolExposure', 'audit'];

/** What differs between two configs, so a reload touches only the instances that changed. */
export function diffConfig(before: HostConfig, after: HostConfig): ConfigDiff {
  const old = new Map(before.instances.map((i) => [i.id, i]));
  const next = new Map(after.instances.map((i) => [i.id, i]));
  return {
    added: after.instances.filter((i) => !old.has(i.id)),
    removed: before.instances.filter((i) => !next.has(i.id)),
    changed: after.instances.filter((i) => old.has(i.id) && !isDeepStrictEqual(old.get(i.id), i)),
    settings: SETTINGS.filter((key) => !isDeepStrictEqual(before[key], after[key])),
  };
}
