/**
 * Module resolve hook (registered with node:module `register`, runs on the loader's own thread) that
 * reloads a plugin's edited files without reloading the rest.
 *
 * The host imports a reloaded entry as `index.js?mcp-host-gen=N&root=DIR`. On a new N for DIR the hook
 * hashes the plugin's files it has seen and gives every file whose content changed a new version; a file's
 * URL carries the highest version among itself and everything it imports (inside DIR), so an edited file
 * and the chain of files importing it are evaluated again, while unchanged files keep their loaded module.
 * ES modules are never unloaded: re-evaluating only what changed is what keeps memory growth small.
 * Files outside DIR and inside its node_modules resolve as usual.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

interface ResolveContext {
  parentURL?: string;
}
type NextResolve = (specifier: string, context: ResolveContext) => Promise<{ url: string; format?: string | null; shortCircuit?: boolean }>;

/** Content hash and version of every plugin file loaded through the hook. */
const files = new Map<string, { hash: string; version: number }>();
/** Importer → the files of its own plugin that it imports (from earlier loads). */
const imports = new Map<string, Set<string>>();
/** Plugin root → the last code version applied. */
const applied = new Map<string, number>();
let version = 0;

export async function resolve(specifier: string, context: ResolveContext, next: NextResolve) {
  const result = await next(specifier, context);
  if (!result.url.startsWith('file:')) return result;
  // Either the host importing an entry (`mcp-host-gen`), or a file imported by one loaded through here (`mcp-host-v`).
  const own = new URLSearchParams(queryOf(result.url));
  const parent = context.parentURL?.includes('mcp-host-v=') ? context.parentURL : undefined;
  const gen = own.get('mcp-host-gen');
  const root = gen !== null ? own.get('root') : parent && new URLSearchParams(queryOf(parent)).get('root');
  if (!root) return result;
  const path = fileURLToPath(result.url.split('?')[0]);
  if (!path.startsWith(root + '/') || path.slice(root.length).includes('/node_modules/')) return result;
  if (gen !== null) applyCodeVersion(root, Number(gen));
  if (parent) recordImport(fileURLToPath(parent.split('?')[0]), path);
  return { ...result, url: `${pathToFileURL(path).href}?mcp-host-v=${versionOf(path, new Set())}&root=${encodeURIComponent(root)}` };
}

function recordImport(importer: string, path: string): void {
  const known = imports.get(importer);
  if (known) known.add(path);
  else imports.set(importer, new Set([path]));
}

function queryOf(url: string): string {
  const at = url.indexOf('?');
  return at < 0 ? '' : url.slice(at + 1);
}

function hashOf(path: string): string {
  try {
    return createHash('sha1').update(readFileSync(path)).digest('hex');
  } catch {
    return '';
  }
}

/** A new code version of a plugin: files whose content changed since they were loaded get a new version. */
function applyCodeVersion(root: string, codeVersion: number): void {
  if ((applied.get(root) ?? -1) >= codeVersion) return;
  applied.set(root, codeVersion);
  version++;
  for (const [path, state] of files) {
    if (!path.startsWith(root + '/')) continue;
    const hash = hashOf(path);
    if (hash !== state.hash) files.set(path, { hash, version });
  }
}

/** The highest version among a file and what it imports; a file seen for the first time gets the current one. */
function versionOf(path: string, seen: Set<string>): number {
  if (seen.has(path)) return 0;
  seen.add(path);
  let state = files.get(path);
  if (!state) files.set(path, (state = { hash: hashOf(path), version }));
  let highest = state.version;
  for (const dep of imports.get(path) ?? []) highest = Math.max(highest, versionOf(dep, seen));
  return highest;
}
