// One MCP server under test, driven over stdio by the SDK Client: this host (with the filesystem
// plugin) or the reference @modelcontextprotocol/server-filesystem.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

export const repoDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const hostEntry = join(repoDir, 'dist', 'cli', 'mcp-host.js');

/** The reference server's entry, or undefined when the devDependency is not installed. */
export function referenceEntry() {
  try {
    const pkg = createRequire(import.meta.url).resolve('@modelcontextprotocol/server-filesystem/package.json');
    return join(dirname(pkg), 'dist', 'index.js');
  } catch {
    return undefined;
  }
}

async function connect(args, cleanup) {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  const client = new Client({ name: 'fs-bench', version: '1.0.0' }, { capabilities: {} });
  await client.connect(transport);
  return {
    client,
    stderr: () => stderr,
    async close() {
      await client.close().catch(() => {});
      cleanup?.();
    },
  };
}

/** This host serving the tree through one filesystem instance named `files` (tools `files__*`). */
export async function startHost(treeDir, searchTimeoutMs) {
  const dir = mkdtempSync(join(tmpdir(), 'fs-bench-host-'));
  const config = join(dir, 'plugins.json');
  writeFileSync(config, JSON.stringify({ watch: false, plugins: { files: { plugin: 'filesystem', config: { roots: [treeDir], searchTimeoutMs } } } }));
  const side = await connect([hostEntry, 'serve', '--config', config, '--no-watch'], () => rmSync(dir, { recursive: true, force: true }));
  return { ...side, tool: (name) => `files__${name}` };
}

export async function startReference(treeDir) {
  const entry = referenceEntry();
  if (!entry) return undefined;
  const side = await connect([entry, treeDir]);
  return { ...side, tool: (name) => name };
}

/** Calls a tool and returns its text; throws on an error result. */
export async function callText(side, name, args) {
  const result = await side.client.callTool({ name: side.tool(name), arguments: args }, undefined, { timeout: 300_000 });
  const text = (result.content ?? []).map((c) => c.text ?? '').join('\n');
  if (result.isError) throw new Error(`${side.tool(name)} failed: ${text}`);
  return text;
}
