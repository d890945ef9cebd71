// Generates the benchmark tree once (deterministic), reused across runs: 100,000 small source-like files
// in 1,000 folders (10 packages × 10 modules × 10 folders × 100 files), no hidden files and no ignore files,
// so this plugin, the reference server and ripgrep all walk exactly the same files.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const VERSION = 'v1';
const WORDS = ['alpha', 'beta', 'gamma', 'delta', 'render', 'update', 'value', 'result', 'config', 'handler', 'request', 'buffer', 'stream', 'index', 'count', 'state'];
const EXTS = ['ts', 'js', 'json', 'md', 'txt'];

/** A deterministic pseudo-random generator (mulberry32), so every run builds the same tree. */
function rng(seed) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function fileText(random, lines) {
  let out = '';
  for (let i = 0; i < lines; i++) {
    const a = WORDS[Math.floor(random() * WORDS.length)];
    const b = WORDS[Math.floor(random() * WORDS.length)];
    out += `const ${a}_${i} = ${b}(${Math.floor(random() * 1000)}); // ${a} ${b}\n`;
  }
  return out;
}

/** The 1,000-line file read by the read_text_file scenario (about 40 KB). */
export function thousandLineText() {
  return fileText(rng(7), 1000);
}

/** Builds (or reuses) the tree; returns its folder and what is in it. */
export function ensureTree({ files = 100_000, dir = join(tmpdir(), `mcp-host-fs-bench-${VERSION}-${files}`) } = {}) {
  const marker = join(dir, 'TREE_COMPLETE');
  const info = { dir, files, needle: 'needle_7f3a', needleFiles: 0, glob: '*_42.ts', thousandLines: join(dir, 'thousand-lines.txt') };
  const perFolder = 100;
  const folders = Math.ceil(files / perFolder);
  info.needleFiles = Math.floor(files / 997) + (files % 997 > 0 ? 1 : 0);
  if (existsSync(marker)) return info;
  rmSync(dir, { recursive: true, force: true });
  const random = rng(42);
  let n = 0;
  for (let f = 0; f < folders && n < files; f++) {
    const folder = join(dir, `pkg${Math.floor(f / 100)}`, `mod${Math.floor(f / 10) % 10}`, `part${f % 10}`);
    mkdirSync(folder, { recursive: true });
    for (let i = 0; i < perFolder && n < files; i++, n++) {
      let text = fileText(random, 5 + Math.floor(random() * 25));
      // One file in 997 holds the needle the search scenario looks for.
      if (n % 997 === 0) text += `export const ${info.needle} = true;\n`;
      writeFileSync(join(folder, `file_${i}.${EXTS[(n + f) % EXTS.length]}`), text);
    }
  }
  writeFileSync(info.thousandLines, thousandLineText());
  writeFileSync(marker, '');
  return info;
}
