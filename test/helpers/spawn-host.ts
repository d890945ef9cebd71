import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, type ClientOptions } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { daemonEntry } from './paths.js';

export interface HostUnderTest {
  client: Client;
  transport: StdioClientTransport;
  /** Everything the daemon wrote to stderr so far. */
  stderr(): string;
  /** Every non-empty stdout line that failed to parse as JSON-RPC (must stay empty). */
  badStdout: string[];
  pid: number;
  close(): Promise<void>;
}

/** Writes a plugins.json (object) into a fresh temp folder and returns its path. */
export function writeConfig(config: object, dir = mkdtempSync(join(tmpdir(), 'mcp-host-test-'))): string {
  const path = join(dir, 'plugins.json');
  writeFileSync(path, JSON.stringify(config, null, 2));
  return path;
}

/**
 * Spawns the built daemon over stdio, as Claude Desktop does, and connects the SDK Client.
 * Every stdout line is checked to be JSON-RPC.
 */
export async function spawnHost(options: {
  configPath: string;
  node?: string;
  env?: Record<string, string>;
  capabilities?: ClientOptions['capabilities'];
  setup?: (client: Client) => void;
}): Promise<HostUnderTest> {
  const transport = new StdioClientTransport({
    command: options.node ?? process.execPath,
    args: [daemonEntry, 'serve', '--config', options.configPath],
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (d) => (stderr += d));
  const badStdout: string[] = [];
  // Watch the raw stdout lines through the transport's message hook: a non-JSON line surfaces as an error.
  const client = new Client({ name: 'mcp-host-test', version: '1.0.0' }, { capabilities: options.capabilities ?? {} });
  client.onerror = (error) => badStdout.push(String(error));
  options.setup?.(client);
  await client.connect(transport);
  return {
    client,
    transport,
    stderr: () => stderr,
    badStdout,
    pid: transport.pid!,
    close: () => client.close(),
  };
}
