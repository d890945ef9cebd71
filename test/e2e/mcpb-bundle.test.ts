import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getMcpConfigForManifest } from '@anthropic-ai/mcpb';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { describe, expect, test } from 'vitest';
import { repoRoot } from '../helpers/paths.js';
import { writeConfig } from '../helpers/spawn-host.js';

const manifestPath = join(repoRoot, 'mcpb', 'manifest.json');
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));

describe('Claude Desktop bundle (mcpb/manifest.json)', () => {
  test('the manifest passes mcpb validate and matches the package', () => {
    const cli = join(repoRoot, 'node_modules', '@anthropic-ai', 'mcpb', 'dist', 'cli', 'cli.js');
    expect(execFileSync(process.execPath, [cli, 'validate', manifestPath], { encoding: 'utf8' })).toMatch(/validation passes/i);
    expect(manifest.version).toBe(pkg.version);
    expect(manifest.server.entry_point).toBe(pkg.bin['mcp-host']);
    expect(Object.keys(manifest.user_config).sort()).toEqual(['config_path', 'log_level']);
    expect(pkg.scripts['pack:mcpb']).toMatch(/pack-mcpb\.mjs/);
  });

  test('the command Claude Desktop builds from it (user_config filled in) serves the configured plugins on stdio', async () => {
    const configPath = writeConfig({ plugins: { hello: {} } });
    const config = await getMcpConfigForManifest({
      manifest,
      extensionPath: repoRoot,
      systemDirs: { HOME: process.env.HOME ?? '/tmp' },
      userConfig: { config_path: configPath, log_level: 'warn' },
      pathSeparator: '/',
    });
    expect(config?.env).toEqual({ MCP_HOST_CONFIG: configPath, MCP_HOST_LOG_LEVEL: 'warn' });
    const transport = new StdioClientTransport({
      command: config!.command === 'node' ? process.execPath : config!.command,
      args: config!.args,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...config!.env },
      stderr: 'pipe',
    });
    const client = new Client({ name: 'mcpb-test', version: '1.0.0' });
    await client.connect(transport);
    try {
      expect((await client.listTools()).tools.map((t) => t.name)).toContain('hello__greet');
    } finally {
      await client.close();
    }
  });
});
