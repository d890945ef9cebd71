import { basename } from 'node:path';
import { isDeepStrictEqual } from 'node:util';

/** One `mcpServers` entry of a Claude config, turned into an `mcp-server` instance (or why not). */
export type ImportedEntry =
  | { name: string; id: string; instance: { plugin: 'mcp-server'; enabled?: false; config: Record<string, unknown> }; kind: 'stdio' | 'http' }
  | { name: string; skipped: string };

const INSTANCE_ID = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]|_(?!_))*(?<!_)$/;
const MAX_ID = 40;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Converts every entry. `existing` are the instances plugins.json already has: an entry already
 * imported (same plugin and config) is skipped, and a new one never takes an existing id (it gets a
 * `-2`, `-3`... suffix). `isHost` tells the entry that runs mcp-host itself (skipped).
 */
export function importEntries(servers: Record<string, unknown>, existing: Record<string, unknown>, isHost: (entry: Record<string, unknown>) => boolean): ImportedEntry[] {
  const taken = new Set(Object.keys(existing));
  const out: ImportedEntry[] = [];
  for (const [name, entry] of Object.entries(servers)) {
    if (!isObject(entry)) {
      out.push({ name, skipped: 'not an object' });
      continue;
    }
    if (isHost(entry)) {
      out.push({ name, skipped: 'this entry runs mcp-host itself' });
      continue;
    }
    const converted = convert(entry);
    if ('skipped' in converted) {
      out.push({ name, skipped: converted.skipped });
      continue;
    }
    const instance = { plugin: 'mcp-server' as const, ...(entry.disabled === true ? { enabled: false as const } : {}), config: converted.config };
    const already = Object.entries(existing).find(([, other]) => isObject(other) && other.plugin === 'mcp-server' && isDeepStrictEqual(other.config, instance.config));
    if (already) {
      out.push({ name, skipped: `already imported as instance "${already[0]}"` });
      continue;
    }
    const id = freeId(instanceId(name), taken);
    taken.add(id);
    out.push({ name, id, instance, kind: converted.kind });
  }
  return out;
}

function convert(entry: Record<string, unknown>): { config: Record<string, unknown>; kind: 'stdio' | 'http' } | { skipped: string } {
  const type = typeof entry.type === 'string' ? entry.type.toLowerCase() : undefined;
  if (type === 'sse') return { skipped: 'SSE transport (the mcp-server plugin speaks stdio and Streamable HTTP; if the server also serves Streamable HTTP, add it by hand with its url)' };
  if (typeof entry.url === 'string' && (type === undefined || type === 'http' || type === 'streamable-http' || type === 'streamablehttp')) {
    if (!/^https?:\/\//i.test(entry.url)) return { skipped: `url "${entry.url}" is not http(s)` };
    const headers = stringMap(entry.headers);
    if (headers === null) return { skipped: '"headers" is not an object of strings' };
    return { kind: 'http', config: { url: entry.url, ...(headers && Object.keys(headers).length ? { headers } : {}) } };
  }
  if (typeof entry.command !== 'string' || entry.command.trim() === '') return { skipped: 'neither a "command" nor a "url"' };
  if (entry.args !== undefined && !(Array.isArray(entry.args) && entry.args.every((a) => typeof a === 'string'))) return { skipped: '"args" is not a list of strings' };
  const env = stringMap(entry.env);
  if (env === null) return { skipped: '"env" is not an object of strings' };
  const config: Record<string, unknown> = { command: entry.command };
  if (Array.isArray(entry.args) && entry.args.length > 0) config.args = entry.args;
  if (env && Object.keys(env).length > 0) config.env = env;
  if (typeof entry.cwd === 'string' && entry.cwd !== '') config.cwd = entry.cwd;
  return { kind: 'stdio', config };
}

/** An object of strings (numbers and booleans written as strings, as a shell would); null when it is something else. */
function stringMap(value: unknown): Record<string, string> | undefined | null {
  if (value === undefined) return undefined;
  if (!isObject(value)) return null;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string') out[k] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
    else return null;
  }
  return out;
}

/** A valid instance name (and so namespace) from an entry name: `GitHub Tools` → `GitHub-Tools`. */
export function instanceId(name: string): string {
  let id = name
    .replace(/[^a-zA-Z0-9_-]+/g, '-')
    .replace(/_{2,}/g, '_')
    .replace(/^[^a-zA-Z0-9]+/, '')
    .replace(/_+$/, '')
    .slice(0, MAX_ID)
    .replace(/_+$/, '');
  if (id === '') return 'server';
  // The `host` namespace is the host's own.
  if (id === 'host') return 'host-server';
  return INSTANCE_ID.test(id) ? id : 'server';
}

function freeId(base: string, taken: Set<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const id = `${base.slice(0, MAX_ID - suffix.length).replace(/_+$/, '')}${suffix}`;
    if (!taken.has(id)) return id;
  }
}

/** Whether a Claude entry starts this host (its `mcp-host` CLI, this package's script, or the npm package). */
export function looksLikeHost(entry: Record<string, unknown>, cliPaths: string[]): boolean {
  const words = [entry.command, ...(Array.isArray(entry.args) ? entry.args : [])].filter((w): w is string => typeof w === 'string');
  return words.some((w) => cliPaths.includes(w) || /^mcp-host(\.(js|cmd|exe))?$/i.test(basename(w)) || /(^|[/@\\])mcp-plugin-host(@|$|[/\\])/.test(w));
}
