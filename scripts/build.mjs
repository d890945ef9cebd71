// Builds the package:
// 1. tsc compiles core/ and plugins/ into dist/ (typed API for plugin authors, built-in plugins);
// 2. each built-in plugin's plugin.json is copied beside its compiled entry, so dist/plugins/<id>/ is a complete plugin;
// 3. esbuild bundles the CLI into dist/cli/ — loading one bundle instead of hundreds of small modules roughly halves
//    the daemon's start-up, which is what Claude Desktop waits for. tsyringe and reflect-metadata stay external so
//    plugins that use them share the host's single copy (tsyringe keeps its registrations per module instance).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.json')], { stdio: 'inherit', cwd: root });
for (const id of readdirSync(join(root, 'plugins'))) {
  const manifest = join(root, 'plugins', id, 'plugin.json');
  if (existsSync(manifest)) cpSync(manifest, join(root, 'dist', 'plugins', id, 'plugin.json'));
}

// Bundle into a fresh folder, then swap it in, so a daemon starting meanwhile never sees half a bundle.
const out = join(root, 'dist', 'cli');
const next = `${out}.next-${process.pid}`;
const old = `${out}.old-${process.pid}`;
await build({
  entryPoints: {
    'mcp-host': join(root, 'dist', 'core', 'cli', 'main.js'),
    // Registered by URL next to the loader's chunk (node:module register), so it must be a file of its own.
    'generation-hooks': join(root, 'dist', 'core', 'plugins', 'generation-hooks.js'),
    // Started by path as a worker thread or child process for isolated plugins.
    'isolation-guest': join(root, 'dist', 'core', 'isolation', 'guest', 'guest-main.js'),
  },
  outdir: next,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  sourcemap: true,
  external: ['tsyringe', 'reflect-metadata'],
  // Bundled CommonJS dependencies call require(); give ESM chunks one.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
});
if (existsSync(out)) renameSync(out, old);
renameSync(next, out);
rmSync(old, { recursive: true, force: true });
