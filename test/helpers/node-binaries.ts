import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths.js';

/** The Node binaries the daemon is tested on: this one, and Node 22 LTS from .cache/node22 (scripts/ensure-node22.mjs installs it). */
export function nodeBinaries(): { label: string; path: string }[] {
  const node22 = join(repoRoot, '.cache', 'node22', 'node_modules', 'node', 'bin', 'node');
  const list = [{ label: `node ${process.version}`, path: process.execPath }];
  if (existsSync(node22) && !process.version.startsWith('v22.')) list.push({ label: 'node 22', path: node22 });
  else if (!existsSync(node22) && process.env.CI) throw new Error(`Node 22 missing at ${node22}: run node scripts/ensure-node22.mjs`);
  return list;
}
