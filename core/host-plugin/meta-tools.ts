import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { PluginContext } from '../api/plugin-api.js';
import { TOOL_CATALOG } from '../di/tokens.js';

/** Exposed names of the meta tools (hidden from their own search, and from tools/list when toolExposure is "direct"). */
export const META_TOOLS = new Set(['host__search_tools', 'host__call_tool']);

/** host__search_tools and host__call_tool: every current tool stays reachable for clients that never re-list. */
export function registerMetaTools(ctx: PluginContext): void {
  const catalog = ctx.container.resolve(TOOL_CATALOG);
  ctx.tools.register<{ query: string; limit: number }>({
    name: 'search_tools',
    title: 'Search tools',
    description:
      'Finds tools of this MCP host by keywords, including tools added after your tool list was loaded. Returns each match with its description and input schema; call it with host__call_tool.',
    inputSchema: {
      type: 'object',
      properties: {
        query: { type: 'string', maxLength: 500, description: 'Keywords, e.g. "postgres query" or "read file". Empty lists tools by name.' },
        limit: { type: 'integer', minimum: 1, maximum: 50, default: 10 },
      },
      required: ['query'],
      additionalProperties: false,
    },
    annotations: { readOnlyHint: true, openWorldHint: false },
    handler: ({ query, limit }) => {
      const tools = catalog.search(query, limit).map((t) => ({ name: t.name, description: t.description ?? '', inputSchema: t.inputSchema, ...(t.annotations ? { annotations: t.annotations } : {}) }));
      const text = tools.length === 0 ? `no tool matches "${query}"` : tools.map((t) => `${t.name}: ${t.description}\n  input: ${JSON.stringify(t.inputSchema)}`).join('\n');
      return { content: [{ type: 'text', text }], structuredContent: { tools } };
    },
  });
  ctx.tools.register<{ name: string; arguments: Record<string, unknown> }>({
    name: 'call_tool',
    title: 'Call a tool by name',
    description: 'Calls any tool of this MCP host by its exact name (see host__search_tools) with its arguments, and returns that tool\'s result.',
    inputSchema: {
      type: 'object',
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 64, description: 'Exact tool name, e.g. "files__read_text_file"' },
        arguments: { type: 'object', description: 'The tool\'s arguments, matching its input schema', default: {} },
      },
      required: ['name'],
      additionalProperties: false,
    },
    // The called tool may do anything: no read-only or idempotent promise here.
    annotations: { readOnlyHint: false, destructiveHint: true, openWorldHint: true },
    handler: ({ name, arguments: args }, extra) => catalog.call(name, args, extra),
  });
}

/** What tools/list shows for each `toolExposure` setting. */
export function toolListFilter(exposure: 'direct' | 'meta' | 'both'): (tools: Tool[]) => Tool[] {
  if (exposure === 'direct') return (tools) => tools.filter((t) => !META_TOOLS.has(t.name));
  if (exposure === 'meta') return (tools) => tools.filter((t) => t.name.startsWith('host__'));
  return (tools) => tools;
}
