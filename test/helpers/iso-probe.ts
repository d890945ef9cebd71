import type { Client } from '@modelcontextprotocol/sdk/client/index.js';

/** What the iso-probe fixture says about where it runs (its `where` tool). */
export interface ProbeWhere {
  pid: number;
  threadId: number;
  calls: number;
  aborts: number;
  ballast: number;
  label: string | null;
  heapUsed: number;
}

export async function probeWhere(client: Client, ns: string): Promise<ProbeWhere> {
  const result = await client.callTool({ name: `${ns}__where`, arguments: {} });
  if (result.isError) throw new Error(`${ns}__where failed: ${JSON.stringify(result.content)}`);
  return result.structuredContent as unknown as ProbeWhere;
}

/** The text of a tool result's first content item. */
export function firstText(result: { content?: unknown }): string {
  return ((result.content as { text?: string }[] | undefined)?.[0]?.text ?? '') as string;
}
