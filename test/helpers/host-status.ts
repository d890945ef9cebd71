import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { join } from 'node:path';
import { fixturesDir } from './paths.js';

/** The folder of fixture plugins; configs put it in `pluginDirs`. */
export const fixturePluginsDir = join(fixturesDir, 'plugins');

export interface StatusInstance {
  instance: string;
  plugin: string;
  version?: string;
  namespace: string;
  state: string;
  tools: number;
  resources: number;
  prompts: number;
  warnings: string[];
  error?: { code: string; message: string };
}

export interface HostStatus {
  instances: StatusInstance[];
  configError?: string;
  /** The text content, as a person would read it. */
  text: string;
}

/** Calls `host__status` and returns its structured content, keyed lookups made easy. */
export async function hostStatus(client: Client): Promise<HostStatus & { byId(id: string): StatusInstance }> {
  const result = await client.callTool({ name: 'host__status', arguments: {} });
  if (result.isError) throw new Error(`host__status failed: ${JSON.stringify(result.content)}`);
  const structured = result.structuredContent as { instances: StatusInstance[]; configError?: string };
  const text = (result.content as { type: string; text?: string }[]).map((c) => c.text ?? '').join('\n');
  return {
    ...structured,
    text,
    byId(id: string) {
      const found = structured.instances.find((i) => i.instance === id);
      if (!found) throw new Error(`no instance "${id}" in host__status: ${structured.instances.map((i) => i.instance).join(', ')}`);
      return found;
    },
  };
}

/** Exposed tool names that are not the host's own (`host__*`), which other features add to. */
export function pluginToolNames(tools: { name: string }[]): string[] {
  return tools.map((t) => t.name).filter((n) => !n.startsWith('host__'));
}
