import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError, type Tool } from '@modelcontextprotocol/sdk/types.js';
import type { Registry } from '../registry/registry.js';
import { invokeTool } from './invoke-tool.js';
import { listResult } from './list-paging.js';
import type { Readiness } from './readiness.js';
import { createRequestExtra } from './request-extra.js';

/** Decides which tools tools/list shows (see `toolExposure`); every tool stays callable either way. */
export type ToolListFilter = (tools: Tool[]) => Tool[];

/** tools/list (cached, paged) and tools/call (validated, leased, never throwing a plugin's error at the client). */
export function registerToolHandlers(server: Server, registry: Registry, readiness: Readiness, pageSize: () => number, filter: () => ToolListFilter): void {
  let source: Tool[] | undefined;
  let shown: Tool[] = [];
  let shownFilter: ToolListFilter | undefined;
  server.setRequestHandler(ListToolsRequestSchema, async (request) => {
    await readiness.firstList('tools');
    const all = registry.listTools();
    if (all !== source || filter() !== shownFilter) {
      source = all;
      shownFilter = filter();
      shown = shownFilter(all);
    }
    return listResult('tools', shown, request.params?.cursor, pageSize());
  });

  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const { name } = request.params;
    const entry = await readiness.find(() => registry.tool(name));
    if (!entry) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${name}`);
    return invokeTool(entry, request.params.arguments ?? {}, createRequestExtra(server, extra, entry.owner.instanceId));
  });
}
