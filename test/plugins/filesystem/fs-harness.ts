import { mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { ClientOptions } from '@modelcontextprotocol/sdk/client/index.js';
import { spawnHost, writeConfig, type HostUnderTest } from '../../helpers/spawn-host.js';

/**
 * A temp folder for filesystem-plugin tests: `root` is the configured root, `outside` a sibling folder
 * the plugin must never touch, `evil` a sibling whose name starts with the root's (`root_evil`).
 * Paths are real paths (the temp folder may sit behind a link on some systems).
 */
export interface FsSandbox {
  base: string;
  root: string;
  outside: string;
  evil: string;
  /** Writes a file under `root` (creating folders); returns its absolute path. */
  put(rel: string, content: string | Buffer): string;
  cleanup(): void;
}

export function createSandbox(): FsSandbox {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'mcp-fs-test-')));
  const root = join(base, 'root');
  const outside = join(base, 'outside');
  const evil = join(base, 'root_evil');
  for (const d of [root, outside, evil]) mkdirSync(d);
  writeFileSync(join(outside, 'secret.txt'), 'OUTSIDE SECRET\n');
  writeFileSync(join(evil, 'secret.txt'), 'SIBLING SECRET\n');
  return {
    base,
    root,
    outside,
    evil,
    put(rel, content) {
      const path = join(root, rel);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content);
      return path;
    },
    cleanup: () => rmSync(base, { recursive: true, force: true }),
  };
}

export interface FsHost {
  host: HostUnderTest;
  client: Client;
  /** Calls `files__<tool>`; returns the joined text of its text items and the raw result. */
  call(tool: string, args: Record<string, unknown>): Promise<{ text: string; isError: boolean; result: any }>;
  /** Calls a tool that must succeed; returns its text. */
  ok(tool: string, args: Record<string, unknown>): Promise<string>;
  /** Calls a tool that must fail; returns its error text. */
  refused(tool: string, args: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

/** Spawns the built daemon with one filesystem instance named `files` over the sandbox root. */
export async function startFsHost(
  sandbox: FsSandbox,
  config: Record<string, unknown> = {},
  options: { node?: string; capabilities?: ClientOptions['capabilities']; setup?: (client: Client) => void } = {},
): Promise<FsHost> {
  const configPath = writeConfig(
    { watch: false, plugins: { files: { plugin: 'filesystem', config: { roots: [sandbox.root], ...config } } } },
    mkdtempSync(join(tmpdir(), 'mcp-fs-config-')),
  );
  const host = await spawnHost({ configPath, node: options.node, capabilities: options.capabilities, setup: options.setup });
  const call: FsHost['call'] = async (tool, args) => {
    const result = (await host.client.callTool({ name: `files__${tool}`, arguments: args })) as any;
    const text = (result.content ?? []).map((c: { text?: string }) => c.text ?? '').join('\n');
    return { text, isError: Boolean(result.isError), result };
  };
  return {
    host,
    client: host.client,
    call,
    async ok(tool, args) {
      const r = await call(tool, args);
      if (r.isError) throw new Error(`${tool} ${JSON.stringify(args)} failed: ${r.text}`);
      return r.text;
    },
    async refused(tool, args) {
      const r = await call(tool, args);
      if (!r.isError) throw new Error(`${tool} ${JSON.stringify(args)} was expected to be refused but returned: ${r.text.slice(0, 500)}`);
      return r.text;
    },
    async close() {
      await host.close();
      rmSync(dirname(configPath), { recursive: true, force: true });
    },
  };
}

/** Every entry below `dir` (relative path → content in base64, or the link target), to compare a folder before and after an attack. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const rel = prefix ? `${prefix}/${e.name}` : e.name;
      const abs = join(d, e.name);
      if (e.isDirectory()) {
        out[`${rel}/`] = 'dir';
        walk(abs, rel);
      } else if (e.isSymbolicLink()) out[rel] = `link:${readlinkSync(abs)}`;
      else if (e.isFile()) out[rel] = readFileSync(abs).toString('base64');
      else out[rel] = 'special';
    }
  };
  walk(dir, '');
  return out;
}
