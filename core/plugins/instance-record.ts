import type { InstanceStatus } from '../api/tokens.js';
import type { InstanceConfig } from '../config/config-types.js';
import { isolationOptions } from '../isolation/isolation-options.js';
import type { InstanceGeneration } from './instance-generation.js';
import type { PluginDescriptor } from './manifest.js';

/** What the host tracks per configured instance, across its generations. */
export interface InstanceRecord {
  config: InstanceConfig;
  plugin?: PluginDescriptor;
  state: InstanceStatus['state'];
  error?: { code: string; message: string };
  warnings: string[];
  /** Problems found while reading the config (an unset ${VAR}); they fail the instance before any code loads. */
  preErrors?: string[];
  /** The generation serving now. */
  current?: InstanceGeneration;
  /** Last generation number handed out. */
  generations: number;
  /** Builds asked for / finished: a build whose request was overtaken by a newer one is discarded. */
  wanted: number;
  done: number;
  /** The build loop, while one runs (builds of one instance never overlap). */
  running?: Promise<void>;
}

export function newRecord(config: InstanceConfig, preErrors?: string[]): InstanceRecord {
  return { config, state: config.enabled ? 'starting' : 'disabled', warnings: [], preErrors, generations: 0, wanted: 0, done: 0 };
}

export function toStatus(record: InstanceRecord): InstanceStatus {
  const surface = record.current?.builder.surface;
  return {
    instance: record.config.id,
    plugin: record.config.plugin,
    version: record.plugin?.manifest.version,
    namespace: record.config.namespace,
    state: record.state,
    tools: surface?.tools.size ?? 0,
    resources: (surface?.resources.size ?? 0) + (surface?.templates.size ?? 0),
    prompts: surface?.prompts.size ?? 0,
    warnings: [...record.warnings],
    ...(record.error ? { error: record.error } : {}),
    ...(record.plugin ? { source: record.plugin.builtin ? 'built-in' : record.plugin.dir, isolation: isolationOptions(record.config.isolation, record.plugin.builtin).mode } : {}),
  };
}
