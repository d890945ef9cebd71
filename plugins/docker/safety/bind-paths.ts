/**
 * Bind mount sources (Binds, Mounts, bind-type volume options): absolute, inside allowedBindRoots, not a
 * sensitive host path (nor an ancestor of one: binding /var hands over /var/run/docker.sock), never an
 * Engine socket. On a local Engine the path is resolved through symlinks first (the Engine follows them
 * too) and a socket under any name is refused; for a remote Engine only the text of the path is checked.
 */
import { lstatSync, realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { posix } from 'node:path';

/** Refused, with everything inside them and every folder above them. */
const SENSITIVE_TREES = [
  '/etc', '/proc', '/sys', '/dev', '/boot', '/root', '/run', '/var/run', '/var/log', '/var/lib/docker', '/var/lib/containerd',
  '/var/lib/kubelet', '/var/lib/rancher', '/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/private/etc', '/private/var/run',
];
/** Secrets in the daemon user's home (the same list the filesystem plugin denies by default). */
const HOME_SECRETS = ['.ssh', '.docker', '.aws', '.kube', '.gnupg', '.azure', '.config/gcloud', '.netrc', '.npmrc', '.pgpass', '.git-credentials'];
/** Refused themselves (and, being ancestors of the above, '/' and '/var'); folders inside them are fine. */
const SENSITIVE_EXACT = ['/home', '/Users'];

const ENGINE_SOCKET = /(?:^|\/)(?:docker|containerd|podman|dockershim|cri-dockerd|crio|buildkitd)\.sock$/i;

export interface BindRules {
  /** Absolute roots (real paths on a local Engine). */
  roots: string[];
  local: boolean;
  home: string;
}

export function bindRules(configured: string[], resolvePath: (p: string) => string, local: boolean): BindRules {
  const roots = configured.map((root) => {
    const abs = posix.resolve(resolvePath(root));
    return local ? realOrSelf(abs) : abs;
  });
  return { roots, local, home: posix.resolve(homedir()) };
}

function realOrSelf(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    return path;
  }
}

/** The real path of `path`, following symlinks of the part that exists (the Engine creates the rest as folders). */
function realPath(path: string): string {
  let existing = path;
  const rest: string[] = [];
  for (;;) {
    try {
      lstatSync(existing);
      break;
    } catch {
      if (existing === '/') return path;
      rest.unshift(posix.basename(existing));
      existing = posix.dirname(existing);
    }
  }
  return posix.join(realOrSelf(existing), ...rest);
}

function inside(path: string, root: string): boolean {
  return path === root || root === '/' || path.startsWith(`${root}/`);
}

/** Why `path` is sensitive, or undefined. */
function sensitive(path: string, home: string): string | undefined {
  const trees = [...SENSITIVE_TREES, ...HOME_SECRETS.map((s) => posix.join(home, s))];
  for (const tree of trees) {
    if (inside(path, tree)) return `${path} is a sensitive host path (${tree})`;
    if (inside(tree, path)) return `${path} contains the sensitive host path ${tree}`;
  }
  if (SENSITIVE_EXACT.includes(path) || path === home) return `${path} is a sensitive host path`;
  return undefined;
}

export function mentionsEngineSocket(text: string): boolean {
  return ENGINE_SOCKET.test(text.replace(/\/+$/, ''));
}

/** The problem with binding host path `source` (at `where`), or undefined when it is allowed. */
export function bindProblem(source: string, where: string, rules: BindRules): string | undefined {
  if (!source.startsWith('/')) return `${where}: bind source "${source}" must be an absolute host path`;
  if (source.includes('\0')) return `${where}: bind source has a NUL byte`;
  const lexical = posix.resolve(source);
  if (mentionsEngineSocket(lexical)) return `${where}: mounting the Docker Engine socket (${lexical}) would hand over the host`;
  const real = rules.local ? realPath(lexical) : lexical;
  if (real !== lexical && mentionsEngineSocket(real)) return `${where}: ${lexical} leads to the Docker Engine socket (${real}), which would hand over the host`;
  if (rules.local) {
    try {
      if (statSync(real).isSocket()) return `${where}: ${lexical} is a unix socket; sockets are never mounted (an Engine socket under another name would hand over the host)`;
    } catch {
      // Does not exist (yet): the Engine would create a folder.
    }
  }
  for (const path of new Set([lexical, real])) {
    const why = sensitive(path, rules.home);
    if (why) return `${where}: ${why}`;
  }
  if (rules.roots.length === 0) return `${where}: bind mounts are not allowed (allowedBindRoots is empty)`;
  if (!rules.roots.some((root) => inside(real, root))) {
    return `${where}: ${lexical}${real !== lexical ? ` (really ${real})` : ''} is outside allowedBindRoots (${rules.roots.join(', ')})`;
  }
  return undefined;
}
