import { HostError } from '../util/host-error.js';

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):(\/\/)?(.*)$/s;

export interface ParsedUri {
  scheme: string;
  hierarchical: boolean;
  rest: string;
}

export function parseUri(uri: string): ParsedUri | undefined {
  const m = SCHEME.exec(uri);
  return m ? { scheme: m[1], hierarchical: m[2] !== undefined, rest: m[3] } : undefined;
}

/**
 * Exposes a plugin's URI under its namespace so two instances never collide and the result is still
 * a valid URI: `hello://greeting` → `hello://<namespace>/greeting`; an opaque `urn:x` → `urn://<namespace>/x`.
 * Works the same on URI templates (`hello://greeting/{name}`).
 */
export function exposeUri(namespace: string, uri: string, instance: string): string {
  if (namespace === '') return uri;
  const parsed = parseUri(uri);
  if (!parsed) {
    throw new HostError('NAME_INVALID', `resource URI "${uri}" of instance "${instance}" has no scheme`, { instance, expected: 'scheme:...', actual: uri });
  }
  return `${parsed.scheme}://${namespace}/${parsed.rest}`;
}

/** The namespace an exposed URI names (its authority), if it has that shape. */
export function uriNamespace(uri: string): string | undefined {
  const parsed = parseUri(uri);
  if (!parsed?.hierarchical) return undefined;
  const slash = parsed.rest.indexOf('/');
  return slash < 0 ? undefined : parsed.rest.slice(0, slash);
}

/** Maps an exposed URI back to the plugin's terms; `opaqueSchemes` are the schemes the plugin used without `//`. */
export function unexposeUri(namespace: string, uri: string, opaqueSchemes: ReadonlySet<string>): string | undefined {
  if (namespace === '') return uri;
  const parsed = parseUri(uri);
  const prefix = `${namespace}/`;
  if (!parsed?.hierarchical || !parsed.rest.startsWith(prefix)) return undefined;
  const rest = parsed.rest.slice(prefix.length);
  return opaqueSchemes.has(parsed.scheme) ? `${parsed.scheme}:${rest}` : `${parsed.scheme}://${rest}`;
}
