import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CompleteRequestSchema, ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { Registry } from '../registry/registry.js';

const MAX_VALUES = 100;

/** completion/complete for prompt arguments and resource-template variables, answered by the owning plugin. */
export function registerCompletionHandler(server: Server, registry: Registry): void {
  server.setRequestHandler(CompleteRequestSchema, async (request) => {
    const { ref, argument, context } = request.params;
    let complete: ((name: string, value: string, context: Record<string, string>) => Promise<string[]> | string[]) | undefined;
    if (ref.type === 'ref/prompt') {
      const entry = registry.prompt(ref.name);
      if (!entry) throw new McpError(ErrorCode.InvalidParams, `Unknown prompt: ${ref.name}`);
      complete = entry.def.complete;
    } else {
      const entry = registry.template(ref.uri);
      if (!entry) throw new McpError(ErrorCode.InvalidParams, `Unknown resource template: ${ref.uri}`);
      complete = entry.def.complete;
    }
    if (!complete) return { completion: { values: [], hasMore: false } };
    let values: string[];
    try {
      values = await complete(argument.name, argument.value, context?.arguments ?? {});
    } catch (error) {
      throw new McpError(ErrorCode.InternalError, `Completion failed: ${(error as Error)?.message ?? String(error)}`);
    }
    const strings = Array.isArray(values) ? values.filter((v) => typeof v === 'string') : [];
    return { completion: { values: strings.slice(0, MAX_VALUES), total: strings.length, hasMore: strings.length > MAX_VALUES } };
  });
}
