import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  ListPromptsResultSchema,
  ListResourcesResultSchema,
  ListResourceTemplatesResultSchema,
  ListToolsResultSchema,
} from '@modelcontextprotocol/sdk/types.js';

/** Pages followed at most (a server looping on its cursor must not keep us busy forever). */
const MAX_PAGES = 1000;

const SCHEMAS = {
  'tools/list': ListToolsResultSchema,
  'prompts/list': ListPromptsResultSchema,
  'resources/list': ListResourcesResultSchema,
  'resources/templates/list': ListResourceTemplatesResultSchema,
} as const;

/** Every item of one list, following nextCursor. */
export async function listAll(client: Client, method: keyof typeof SCHEMAS, field: string): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = (await client.request({ method, params: cursor ? { cursor } : {} }, SCHEMAS[method])) as Record<string, unknown>;
    const list = result[field];
    if (Array.isArray(list)) items.push(...list);
    cursor = typeof result.nextCursor === 'string' && result.nextCursor !== '' ? result.nextCursor : undefined;
    if (!cursor) break;
  }
  return items;
}
