import type { Client } from '@modelcontextprotocol/sdk/client/index.js';

/** What the reload-probe fixture's `info` tool reports. */
export interface ProbeInfo {
  instance: string;
  label: string;
  generation: number;
  starts: number;
  /** URIs (plugin terms) this generation's subscribe hook was called for, minus unsubscribes. */
  subscribed: string[];
  holding: number;
  stopped: { instance: string; label: string; generation: number; reason: string }[];
}

/** Calls `<instance>__info` of a reload-probe instance. */
export async function probeInfo(client: Client, instance: string): Promise<ProbeInfo> {
  const result = await client.callTool({ name: `${instance}__info`, arguments: {} });
  if (result.isError) throw new Error(`${instance}__info failed: ${JSON.stringify(result.content)}`);
  return result.structuredContent as unknown as ProbeInfo;
}

/** The text of a tool result's first content item ('' if none). */
export function firstText(result: object): string {
  const first = ((result as { content?: unknown }).content as { type: string; text?: string }[] | undefined)?.[0];
  return first?.text ?? '';
}
