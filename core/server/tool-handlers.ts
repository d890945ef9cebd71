import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Owner, ToolEntry } from '../registry/entries.js';
import type { Registry } from '../registry/registry.js';
import { compileValidator } from '../util/json-schema.js';
import { page } from './list-paging.js';
import { createRequestExtra } from './request-extra.js';
import { exposeResultUris } from './rewrite-result-uris.js';
import type { Readiness } from './readiness.js';

export function errorResult(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}

/** tools/list (cached, paged) and tools/call (validated, leased, never throwing a plugin's error at the client). */
export function registerToolHandlers(server: Server, registry: Registry, readiness: Readiness, pageSize: () => number): void {
  server.setRequestHandler(ListToolsRequestSchema, async (request) => {
    await readiness.firstList('tools');
    const { items, nextCursor } = page(registry.listTools(), request.params?.cursor, pageSize());
    return nextCursor ? { tools: items, nextCursor } : { tools: items };
  });

  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const { name } = request.params;
    let entry = registry.tool(name);
    if (!entry && !readiness.settled) {
      await readiness.startup();
      entry = registry.tool(name);
    }
    if (!entry) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${name}`);
    const args = request.params.arguments ?? {};
    const problems = validateArguments(entry, args);
    if (problems) return errorResult(`Invalid arguments for tool ${name}: ${problems}`);
    const owner = entry.owner;
    owner.enter();
    try {
      const result = await entry.def.handler(args, createRequestExtra(server, extra, owner.instanceId));
      return checkResult(entry, result, owner);
    } catch (error) {
      return errorResult(`Tool ${name} failed: ${(error as Error)?.message ?? String(error)}`);
    } finally {
      owner.leave();
    }
  });
}

function validateArguments(entry: ToolEntry, args: Record<string, unknown>): string | undefined {
  if (!entry.validate) {
    try {
      entry.validate = compileValidator(entry.def.inputSchema);
    } catch (error) {
      return `the tool's inputSchema is not a valid JSON Schema (${(error as Error).message})`;
    }
  }
  const problems = entry.validate(args);
  return problems.length > 0 ? problems.join('; ') : undefined;
}

const outputValidators = new WeakMap<ToolEntry, (value: unknown) => string[]>();

function checkResult(entry: ToolEntry, result: CallToolResult, owner: Owner): CallToolResult {
  if (!result || typeof result !== 'object' || !Array.isArray(result.content)) {
    return errorResult(`Tool ${entry.tool.name} returned an invalid result: expected { content: [...] }`);
  }
  if (entry.def.outputSchema && !result.isError) {
    let validate = outputValidators.get(entry);
    if (!validate) outputValidators.set(entry, (validate = compileValidator(entry.def.outputSchema)));
    const problems = validate(result.structuredContent ?? {});
    if (problems.length > 0) return errorResult(`Tool ${entry.tool.name} returned structuredContent that does not match its outputSchema: ${problems.join('; ')}`);
  }
  return exposeResultUris(result, owner);
}
