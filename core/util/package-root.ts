import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder of this package's package.json, found once by walking up (works from core/ sources and from dist/). */
export const packageRoot: string = findRoot(dirname(fileURLToPath(import.meta.url)));

export function packagePath(...parts: string[]): string {
  return join(packageRoot, ...parts);
}

export const packageVersion: string = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')).version;

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'config', 'plugins.schema.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`mcp-plugin-host: package root not found above ${from}`);
  }
}
