import { realpathSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ClientInfo, PluginLogger } from '../../../core/api/index.js';
import { FsError } from './fs-error.js';
import { isWithin } from './path-text.js';

/** One folder the plugin may touch: `path` is its real path (links resolved), `given` the configured absolute path. */
export interface Root {
  path: string;
  given: string;
  /** Set when the client's MCP roots narrowed a configured root down to this folder. */
  narrowedFrom?: string;
}

export interface EffectiveRoots {
  roots: Root[];
  /** The configured roots that exist (before client narrowing). */
  configured: Root[];
  /** The client's roots (as file paths) when the client announced any. */
  clientRoots?: string[];
}

/**
 * The configured roots, narrowed by the client's MCP roots. A client root can only narrow: a client root
 * inside a configured root replaces it, a configured root inside a client root stays as it is, and a
 * client root outside every configured root grants nothing.
 */
export class RootSet {
  private real = new Map<string, string>();
  private clientRoots: Promise<string[] | undefined> | undefined;

  constructor(
    private readonly given: readonly string[],
    private readonly client: ClientInfo,
    private readonly logger: PluginLogger,
  ) {}

  /** Forgets the client's roots (they changed); the next call asks again. */
  invalidateClientRoots(): void {
    this.clientRoots = undefined;
  }

  /** The configured roots that exist now, as real paths. A root missing at start is picked up once it appears. */
  configured(): Root[] {
    const out: Root[] = [];
    for (const given of this.given) {
      let path = this.real.get(given);
      if (!path) {
        try {
          path = realpathSync.native(given);
          if (!statSync(path).isDirectory()) continue;
          this.real.set(given, path);
        } catch {
          continue;
        }
      }
      if (!out.some((r) => r.path === path)) out.push({ path, given });
    }
    return out;
  }

  async effective(): Promise<EffectiveRoots> {
    const configured = this.configured();
    if (configured.length === 0) throw new FsError(`none of the configured roots exists: ${this.given.join(', ')}`);
    const clientRoots = await (this.clientRoots ??= this.fetchClientRoots());
    if (!clientRoots || clientRoots.length === 0) return { roots: configured, configured };
    const roots: Root[] = [];
    const add = (root: Root) => {
      if (!roots.some((r) => r.path === root.path)) roots.push(root);
    };
    for (const c of clientRoots) {
      for (const r of configured) {
        if (isWithin(c, r.path)) add({ path: c, given: c, narrowedFrom: r.path });
        else if (isWithin(r.path, c)) add(r);
      }
    }
    if (roots.length === 0) {
      throw new FsError(
        `the client's roots (${clientRoots.join(', ')}) do not overlap the configured roots (${configured.map((r) => r.path).join(', ')}); client roots can only narrow access`,
      );
    }
    return { roots, configured, clientRoots };
  }

  private async fetchClientRoots(): Promise<string[] | undefined> {
    if (!this.client.capabilities()?.roots) return undefined;
    let listed;
    try {
      listed = await this.client.listRoots();
    } catch (error) {
      // The configured roots are the administrator's grant: without the client's list there is nothing to narrow them by.
      this.logger.warn('could not list the client roots; using the configured roots', { error: String(error) });
      this.clientRoots = undefined;
      return undefined;
    }
    const paths: string[] = [];
    for (const root of listed) {
      if (!root.uri.startsWith('file:')) continue;
      try {
        // A client root that does not exist narrows to nothing: it is kept as given and matches no file.
        let path = fileURLToPath(root.uri);
        try {
          path = realpathSync.native(path);
        } catch {}
        paths.push(path);
      } catch {
        this.logger.warn('ignoring a client root that is not a file URI', { uri: root.uri });
      }
    }
    // A client that announced only non-file roots has said nothing about the file system.
    return listed.length > 0 && paths.length === 0 ? undefined : paths;
  }
}

/** The root `real` lies in, if any (the deepest one when roots nest). */
export function rootOf(real: string, roots: readonly Root[]): Root | undefined {
  let best: Root | undefined;
  for (const r of roots) if (isWithin(real, r.path) && (!best || r.path.length > best.path.length)) best = r;
  return best;
}
