import type { Client } from '@modelcontextprotocol/sdk/client/index.js';

export interface ToolAnswer {
  isError: boolean;
  text: string;
}

/** Calls a tool and returns whether it was an isError result and its text content joined. */
export async function callText(client: Client, name: string, args: Record<string, unknown> = {}, options: Parameters<Client['callTool']>[2] = {}): Promise<ToolAnswer> {
  const result = await client.callTool({ name, arguments: args }, undefined, options);
  const text = ((result.content as { type: string; text?: string }[]) ?? []).map((c) => c.text ?? '').join('\n');
  return { isError: result.isError === true, text };
}
