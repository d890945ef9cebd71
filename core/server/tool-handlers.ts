import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
  type CallToolRequest,
  type CallToolResult,
  type JSONRPCRequest,
  type ServerNotification,
  type ServerRequest,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import type { ToolEntry } from '../registry/entries.js';
import type { Registry } from '../registry/registry.js';
import { invokeTool } from './invoke-tool.js';
import { listResult } from './list-paging.js';
import type { Readiness } from './readiness.js';
import { plainMeta } from './common-shape.js';
import { createRequestExtra } from './request-extra.js';
import { overrideSdkHandler } from './sdk-handler-override.js';

type SdkExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

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

  const invoke = (entry: ToolEntry | undefined, params: CallToolRequest['params'], extra: SdkExtra): Promise<CallToolResult> => {
    if (!entry) return Promise.reject(new McpError(ErrorCode.InvalidParams, `Unknown tool: ${params.name}`));
    return invokeTool(entry, params.arguments ?? {}, createRequestExtra(server, extra, entry.owner.instanceId));
  };
  const call = (params: CallToolRequest['params'], extra: SdkExtra): Promise<CallToolResult> => {
    const { name } = params;
    // A tool that is there is called at once (no await: this runs for every call); a miss may wait for start-up.
    const entry = registry.tool(name);
    if (entry) return invoke(entry, params, extra);
    return readiness.find(() => registry.tool(name)).then((found) => invoke(found, params, extra));
  };
  server.setRequestHandler(CallToolRequestSchema, (request, extra) => call(request.params, extra));
  overrideSdkHandler(server, 'tools/call', plainCall, (request, extra) => call(request.params as CallToolRequest['params'], extra));
}

/** A tools/call the SDK's CallToolRequestSchema accepts unchanged and that asks for no task (see sdk-handler-override.ts). */
function plainCall(request: JSONRPCRequest): boolean {
  const params = request.params as Record<string, unknown> | undefined;
  if (typeof params !== 'object' || params === null || typeof params.name !== 'string' || 'task' in params) return false;
  const args = params.arguments;
  if (args !== undefined && (typeof args !== 'object' || args === null || Array.isArray(args))) return false;
  return plainMeta(params._meta);
}
