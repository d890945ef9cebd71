// Makes sure a Node 22 LTS binary is available for the e2e suite (the daemon is tested on the
// machine's Node and on Node 22). Installs the registry's node@22 package into .cache/node22 once.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const prefix = join(root, '.cache', 'node22');
export const node22 = join(prefix, 'node_modules', 'node', 'bin', 'node');

function works() {
  try {
    return execFileSync(node22, ['--version'], { encoding: 'utf8' }).startsWith('v22.');
  } catch {
    return false;
  }
}

if (!works()) {
  mkdirSync(prefix, { recursive: true });
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  process.stderr.write('installing node@22 from the npm registry into .cache/node22 (once)\n');
  execFileSync(npm, ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--prefix', prefix, 'node@22'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (!works()) {
    process.stderr.write(`node@22 did not provide a working binary at ${node22}\n`);
    process.exit(1);
  }
}
