import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { HostError } from '../util/host-error.js';
import { compileValidator, type Validator } from '../util/json-schema.js';
import { packagePath } from '../util/package-root.js';
import type { AuditSettings, CallLimits, HostConfig, InstanceConfig, RateLimit } from './config-types.js';
import { interpolate } from './interpolate.js';
import { readEnvFile } from './read-env-file.js';
import { resolvePath } from './resolve-path.js';

let validateFile: Validator | undefined;

export interface LoadedConfig {
  config: HostConfig;
  /** Problems that concern one instance only (an unset ${VAR}); the instance fails, the rest serve. */
  instanceErrors: Map<string, string[]>;
}

/**
 * Reads plugins.json (and the .env beside it), checks it against config/plugins.schema.json and
 * fills in defaults. Throws CONFIG_NOT_FOUND or CONFIG_INVALID listing every problem with its JSON path.
 */
export function loadConfig(path: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new HostError('CONFIG_NOT_FOUND', `cannot read config ${path}: ${(error as Error).message}`, { cause: error });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new HostError('CONFIG_INVALID', `${path} is not valid JSON: ${(error as Error).message}`);
  }
  return parseConfig(raw, path, env);
}

export function parseConfig(raw: unknown, path: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  validateFile ??= compileValidator(JSON.parse(readFileSync(packagePath('config', 'plugins.schema.json'), 'utf8')));
  const doc = structuredClone(raw) as Record<string, any>;
  const problems = validateFile(doc);
  // `host` is the host's own instance (host__status): a user instance of that name would replace it.
  if (doc?.plugins && typeof doc.plugins === 'object' && Object.hasOwn(doc.plugins, 'host')) {
    problems.push('plugins.host: invalid name: the instance name "host" is reserved for the host\'s own tools');
  }
  if (problems.length > 0) {
    throw new HostError('CONFIG_INVALID', `${path} is invalid:\n  ${problems.join('\n  ')}`, { actual: problems.join('; ') });
  }
  const baseDir = dirname(path);
  const vars = { ...readEnvFile(join(baseDir, '.env')), ...env };
  const secrets = new Set<string>();
  const instanceErrors = new Map<string, string[]>();

  const top = interpolate({ pluginDirs: doc.pluginDirs, logFile: doc.logFile, auditFile: doc.audit?.file }, vars);
  top.filled.forEach((s) => secrets.add(s));
  if (top.missing.length > 0) {
    throw new HostError('CONFIG_INVALID', `${path}: variables not set: ${top.missing.join(', ')}`);
  }

  // The token may come from ${VAR}: an unset one just leaves it unset (MCP_HOST_TOKEN or refusing to start decide).
  const http = { ...doc.http };
  const token = interpolate({ token: http.token }, vars);
  token.filled.forEach((s) => secrets.add(s));
  http.token = token.missing.length > 0 ? undefined : token.value.token;
  if (typeof http.token === 'string') secrets.add(http.token);

  const instances: InstanceConfig[] = Object.entries(doc.plugins as Record<string, any>).map(([id, entry]) => {
    const enabled = entry.enabled as boolean;
    const filled = interpolate(entry.config as Record<string, unknown>, vars);
    filled.filled.forEach((s) => secrets.add(s));
    if (enabled && filled.missing.length > 0) {
      instanceErrors.set(id, filled.missing.map((v) => `plugins.${id}.config: \${${v}} is not set (environment or .env)`));
    }
    return { id, plugin: entry.plugin ?? id, enabled, namespace: entry.namespace ?? id, config: filled.value, ...(entry.isolation === undefined ? {} : { isolation: entry.isolation }), ...callLimits(entry) };
  });

  const config: HostConfig = {
    path,
    baseDir,
    pluginDirs: (top.value.pluginDirs as string[]).map((d) => resolvePath(d, baseDir)),
    logLevel: (env.MCP_HOST_LOG_LEVEL as HostConfig['logLevel']) || doc.logLevel,
    logFile: top.value.logFile ? resolvePath(top.value.logFile as string, baseDir) : undefined,
    startupWaitMs: doc.startupWaitMs,
    listPageSize: doc.listPageSize,
    timeouts: doc.timeouts,
    toolExposure: doc.toolExposure,
    watch: doc.watch,
    http,
    audit: auditSettings(doc.audit, top.value.auditFile as string | undefined, baseDir),
    instances,
    secrets: [...secrets].filter((s) => s.length >= 4),
  };
  return { config, instanceErrors };
}

/** An instance's `timeoutMs` and `limits` when written (unset: 60000 ms and none), rate windows defaulting to a minute. */
function callLimits(entry: Record<string, any>): Pick<InstanceConfig, 'timeoutMs' | 'limits'> {
  const out: Pick<InstanceConfig, 'timeoutMs' | 'limits'> = entry.timeoutMs === undefined ? {} : { timeoutMs: entry.timeoutMs };
  const limits = entry.limits as CallLimits | undefined;
  if (!limits) return out;
  const rate = (r: RateLimit | false) => (r ? { max: r.max, windowMs: r.windowMs ?? 60_000 } : r);
  const tools = limits.tools && Object.fromEntries(Object.entries(limits.tools).map(([name, t]) => [name, t.rate === undefined ? t : { ...t, rate: rate(t.rate) }]));
  out.limits = { ...limits, ...(limits.rate ? { rate: rate(limits.rate) as RateLimit } : {}), ...(tools ? { tools } : {}) };
  return out;
}

/**
 * The audit log's settings: on when `audit` is true or an object without `enabled: false`; audit.jsonl beside
 * plugins.json, 10 MB per file and 5 rotated files unless it says otherwise (sizes apply to `serve --audit` too).
 */
function auditSettings(audit: boolean | Record<string, any> | undefined, file: string | undefined, baseDir: string): AuditSettings {
  const options = typeof audit === 'object' ? audit : {};
  return {
    enabled: typeof audit === 'object' ? options.enabled !== false : audit === true,
    file: resolvePath(file ?? 'audit.jsonl', baseDir),
    maxBytes: options.maxBytes ?? 10 * 1024 * 1024,
    keep: options.keep ?? 5,
  };
}

/**
 * For `validate` on a file that failed the schema: the parts that still read on their own (pluginDirs and each
 * instance entry the schema accepts), so every instance's own config can be checked in the same run and the user
 * sees every error at once. Undefined when the file cannot be read or parsed at all.
 */
export function salvageConfig(path: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig | undefined {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
  if (!raw || typeof raw !== 'object') return undefined;
  const fits = (doc: object) => {
    try {
      parseConfig(doc, path, env);
      return true;
    } catch {
      return false;
    }
  };
  const base = fits({ pluginDirs: raw.pluginDirs }) ? { pluginDirs: raw.pluginDirs } : {};
  const entries = raw.plugins && typeof raw.plugins === 'object' ? Object.entries(raw.plugins as Record<string, unknown>) : [];
  const plugins = Object.fromEntries(entries.filter(([id, entry]) => fits({ ...base, plugins: { [id]: entry } })));
  return parseConfig({ ...base, plugins }, path, env);
}
