import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { RequestExtra } from '../api/plugin-api.js';
import type { Registry } from '../registry/registry.js';
import { errorResult, invokeTool } from './invoke-tool.js';

/**
 * Search and call over every current tool, for clients that keep the first tool list and ignore
 * list_changed (Claude Desktop): the host's meta tools reach tools added after that first list.
 */
export class ToolCatalog {
  constructor(
    private readonly registry: Registry,
    private readonly hidden: ReadonlySet<string>,
  ) {}

  /** Tools whose name, title or description contain the query's words, best first. An empty query lists tools by name. */
  search(query: string, limit: number): Tool[] {
    const words = query.toLowerCase().split(/[\s_\-.,;:/]+/).filter(Boolean);
    const scored: { tool: Tool; score: number }[] = [];
    for (const tool of this.registry.listTools()) {
      if (this.hidden.has(tool.name)) continue;
      const name = tool.name.toLowerCase();
      const text = `${tool.title ?? ''} ${tool.description ?? ''}`.toLowerCase();
      let score = words.length === 0 ? 1 : 0;
      for (const word of words) score += (name.includes(word) ? 2 : 0) + (text.includes(word) ? 1 : 0);
      if (score > 0) scored.push({ tool, score });
    }
    return scored
      .sort((a, b) => b.score - a.score || a.tool.name.localeCompare(b.tool.name))
      .slice(0, limit)
      .map((s) => s.tool);
  }

  /** Calls a tool by its exposed name with the same validation and leasing as tools/call. */
  call(name: string, args: Record<string, unknown>, extra: RequestExtra): Promise<CallToolResult> {
    const entry = this.hidden.has(name) ? undefined : this.registry.tool(name);
    if (!entry) return Promise.resolve(errorResult(`Unknown tool: ${name}. Use host__search_tools to find tool names.`));
    return invokeTool(entry, args, extra);
  }
}
