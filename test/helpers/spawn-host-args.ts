import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { daemonEntry } from './paths.js';
import type { HostUnderTest } from './spawn-host.js';

/** Like spawnHost, with extra `serve` flags (e.g. `--no-watch`). */
export async function spawnHostWithArgs(options: { configPath: string; node?: string; args: string[] }): Promise<HostUnderTest> {
  const transport = new StdioClientTransport({
    command: options.node ?? process.execPath,
    args: [daemonEntry, 'serve', '--config', options.configPath, ...options.args],
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (d) => (stderr += d));
  const badStdout: string[] = [];
  const client = new Client({ name: 'mcp-host-test', version: '1.0.0' }, { capabilities: {} });
  client.onerror = (error) => badStdout.push(String(error));
  await client.connect(transport);
  return { client, transport, stderr: () => stderr, badStdout, pid: transport.pid!, close: () => client.close() };
}
