import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { ErrorCode, GetPromptRequestSchema, ListPromptsRequestSchema, McpError } from '@modelcontextprotocol/sdk/types.js';
import { EXPIRED, expiredText, withDeadline } from '../limits/call-deadline.js';
import { DEFAULT_TIMEOUT_MS } from '../limits/call-policy.js';
import type { Registry } from '../registry/registry.js';
import { listResult } from './list-paging.js';
import type { Readiness } from './readiness.js';
import { createRequestExtra } from './request-extra.js';

/** prompts/list and prompts/get, routed to the owning instance; required arguments are checked first. */
export function registerPromptHandlers(server: Server, registry: Registry, readiness: Readiness, pageSize: () => number): void {
  server.setRequestHandler(ListPromptsRequestSchema, async (request) => {
    await readiness.firstList('prompts');
    return listResult('prompts', registry.listPrompts(), request.params?.cursor, pageSize());
  });

  server.setRequestHandler(GetPromptRequestSchema, async (request, extra) => {
    const { name } = request.params;
    const entry = await readiness.find(() => registry.prompt(name));
    if (!entry) throw new McpError(ErrorCode.InvalidParams, `Unknown prompt: ${name}`);
    const args = request.params.arguments ?? {};
    const missing = (entry.def.arguments ?? []).filter((a) => a.required && (args[a.name] === undefined || args[a.name] === '')).map((a) => a.name);
    if (missing.length > 0) throw new McpError(ErrorCode.InvalidParams, `Prompt ${name}: missing required argument${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
    const { owner } = entry;
    owner.enter();
    try {
      const ms = owner.policy ? owner.policy.timeoutMs : DEFAULT_TIMEOUT_MS;
      const result = await withDeadline(ms, createRequestExtra(server, extra, owner.instanceId), (requestExtra) => entry.def.get(args, requestExtra));
      if (result === EXPIRED) throw new Error(expiredText(ms, owner.instanceId));
      if (!result || !Array.isArray(result.messages)) throw new Error('expected { messages: [...] }');
      return result;
    } catch (error) {
      throw new McpError(ErrorCode.InternalError, `Prompt ${name} failed: ${(error as Error)?.message ?? String(error)}`);
    } finally {
      owner.leave();
    }
  });
}
