import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { fixturesDir } from '../../helpers/paths.js';
import { until } from '../../helpers/proto-fixture.js';

export const serversDir = join(fixturesDir, 'mcp-servers');
export const kitchenStdio = join(serversDir, 'kitchen-stdio.mjs');

/** An `mcp-server` instance running one of the fixture servers with this Node. */
export function nodeServer(script: string, config: Record<string, unknown> = {}, node = process.execPath): Record<string, unknown> {
  return { plugin: 'mcp-server', config: { command: node, args: [join(serversDir, script)], ...config } };
}

/** The exposed tool names, once `name` is among them (the catalog arrives in the background). */
export async function toolsOnce(client: Client, name: string): Promise<string[]> {
  const names = await until(
    async () => (await client.listTools()).tools.map((t) => t.name),
    (list) => list.includes(name),
    250,
  );
  if (!names.includes(name)) throw new Error(`tool ${name} never appeared: ${names.join(', ')}`);
  return names;
}

/** Polls `check` until it is true (bounded); for process state that changes shortly after a request. */
export async function eventually(check: () => boolean, ms = 10_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return true;
}
