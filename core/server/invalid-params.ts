import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { describeSchemaProblem } from './schema-problem.js';

type Handler = (request: { method: string }, extra: unknown) => unknown;

/**
 * The SDK parses a request's params against its schema before any handler runs and, on a mismatch,
 * throws the zod error synchronously, which it then answers as -32603 (internal error). The mistake is
 * the client's: answer -32602 (invalid params) naming the field. Only synchronous throws are mapped,
 * so an error raised inside a handler keeps its own code. Call after every handler is registered.
 */
export function answerBadParamsAsInvalidParams(server: Server): void {
  // The SDK keeps its handler table private; reaching in once at start-up costs nothing per request.
  const handlers = (server as unknown as { _requestHandlers: Map<string, Handler> })._requestHandlers;
  for (const [method, handler] of handlers) {
    handlers.set(method, (request, extra) => {
      try {
        return handler(request, extra);
      } catch (error) {
        const issues = (error as { issues?: unknown })?.issues;
        if (!Array.isArray(issues)) throw error;
        throw new McpError(ErrorCode.InvalidParams, `Invalid params for ${method}: ${describeSchemaProblem(issues)}`);
      }
    });
  }
}
