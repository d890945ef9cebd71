// Compiles core/ and plugins/ with tsc, then copies each built-in plugin's
// plugin.json beside its compiled entry so dist/plugins/<id>/ is a complete plugin folder.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.json')], { stdio: 'inherit', cwd: root });
for (const id of readdirSync(join(root, 'plugins'))) {
  const manifest = join(root, 'plugins', id, 'plugin.json');
  if (existsSync(manifest)) cpSync(manifest, join(root, 'dist', 'plugins', id, 'plugin.json'));
}
