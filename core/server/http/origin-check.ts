import type { IncomingMessage } from 'node:http';

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** True for addresses that only this machine can reach. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  return bare === 'localhost' || bare === '::1' || /^127(?:\.\d{1,3}){3}$/.test(bare);
}

/** `host[:port]` → host name, lower case (IPv6 keeps its brackets). */
function hostName(hostHeader: string): string {
  const value = hostHeader.trim().toLowerCase();
  if (value.startsWith('[')) return value.slice(0, value.indexOf(']') + 1);
  const colon = value.lastIndexOf(':');
  return colon === -1 ? value : value.slice(0, colon);
}

/**
 * DNS rebinding protection: a web page that makes its own name resolve to 127.0.0.1 still sends its own
 * Host and Origin. Host must be a loopback name, the bound address, or configured (`name` or `name:port`);
 * Origin, when present (browsers), must be a loopback origin or configured. "*" accepts any.
 */
export function originCheck(options: { bindHost: string; allowedHosts: string[]; allowedOrigins: string[] }): (req: IncomingMessage) => 'host' | 'origin' | undefined {
  const anyHost = options.allowedHosts.includes('*');
  const anyOrigin = options.allowedOrigins.includes('*');
  const hosts = new Set(options.allowedHosts.map((h) => h.toLowerCase()));
  const origins = new Set(options.allowedOrigins.map((o) => o.toLowerCase().replace(/\/$/, '')));
  const bind = options.bindHost.toLowerCase();
  return (req) => {
    if (!anyHost) {
      const header = req.headers.host;
      if (!header) return 'host';
      const name = hostName(header);
      const ok = LOOPBACK_NAMES.has(name) || isLoopback(name) || name === bind || `[${bind}]` === name || hosts.has(name) || hosts.has(header.trim().toLowerCase());
      if (!ok) return 'host';
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !anyOrigin) {
      let name: string;
      try {
        name = new URL(origin).hostname;
      } catch {
        return 'origin';
      }
      if (!isLoopback(name) && !origins.has(origin.toLowerCase().replace(/\/$/, ''))) return 'origin';
    }
    return undefined;
  };
}
