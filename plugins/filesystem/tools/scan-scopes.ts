import { statSync } from 'node:fs';
import { FsError } from '../safety/fs-error.js';
import type { Resolved } from '../safety/resolver.js';
import type { WalkScope } from '../scan/protocol.js';
import type { FsServices } from '../services.js';

/** What a find or search covers: the given folder (or file), or every root when no path is given. */
export async function scanScopes(s: FsServices, path: string | undefined): Promise<{ scopes: WalkScope[]; file?: Resolved }> {
  const { roots } = await s.roots.effective();
  const common = { respectGitignore: s.config.respectGitignore, deny: s.config.deny };
  if (path === undefined) return { scopes: roots.map((r) => ({ rootReal: r.path, baseRel: '', ...common })) };
  const target = s.resolver.existing(path, roots);
  const stat = statSync(target.real);
  if (stat.isFile()) return { scopes: [], file: target };
  if (!stat.isDirectory()) throw new FsError(`${path}: not a file or folder`);
  return { scopes: [{ rootReal: target.root.path, baseRel: target.rel, ...common }] };
}
