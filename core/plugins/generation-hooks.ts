/**
 * Module resolve hook (registered with node:module `register`) that makes every file of a plugin
 * folder load afresh per generation: the host imports a reloaded entry as `index.js?mcp-host-gen=N&root=DIR`,
 * and this hook carries that query to every file the entry imports inside DIR (but not to its
 * node_modules), so an edit to any imported file takes effect. Package imports resolve as usual.
 */
interface ResolveContext {
  parentURL?: string;
}
type NextResolve = (specifier: string, context: ResolveContext) => Promise<{ url: string; format?: string | null; shortCircuit?: boolean }>;

export async function resolve(specifier: string, context: ResolveContext, next: NextResolve) {
  const result = await next(specifier, context);
  const parent = context.parentURL;
  const query = parent?.includes('mcp-host-gen=') ? parent.slice(parent.indexOf('?')) : undefined;
  if (!query || !result.url.startsWith('file:') || result.url.includes('?')) return result;
  const root = new URLSearchParams(query).get('root');
  const path = decodeURIComponent(new URL(result.url).pathname);
  if (!root || !path.startsWith(root + '/') || path.slice(root.length).includes('/node_modules/')) return result;
  return { ...result, url: result.url + query };
}
