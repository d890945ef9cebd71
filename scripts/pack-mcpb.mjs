// Builds mcp-host.mcpb, the Claude Desktop bundle: a staging folder with mcpb/manifest.json, the built dist/, the
// config schema and the production dependencies, packed by @anthropic-ai/mcpb. Opening the file installs the host.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const stage = join(root, '.cache', 'mcpb-stage');
const out = join(root, 'mcp-host.mcpb');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const manifest = JSON.parse(readFileSync(join(root, 'mcpb', 'manifest.json'), 'utf8'));
delete manifest.$schema;
// One version for the package and the bundle.
manifest.version = pkg.version;

rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });
for (const path of ['package.json', 'package-lock.json', 'dist', 'config', 'README.md', 'LICENSE']) {
  try {
    cpSync(join(root, path), join(stage, path), { recursive: true });
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
  }
}
writeFileSync(join(stage, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
execFileSync(npm, ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--no-save'], { cwd: stage, stdio: 'inherit' });
// The package's exports do not include its CLI file: address it by path.
const mcpb = join(root, 'node_modules', '@anthropic-ai', 'mcpb', 'dist', 'cli', 'cli.js');
execFileSync(process.execPath, [mcpb, 'validate', join(stage, 'manifest.json')], { stdio: 'inherit' });
execFileSync(process.execPath, [mcpb, 'pack', stage, out], { stdio: 'inherit' });
console.log(`wrote ${out}`);
