import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { JSONRPCRequest, ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import { directAnswerSupported, type DirectHandler } from './direct-answer.js';

type SdkExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;
type Handler = (request: JSONRPCRequest, extra: SdkExtra) => Promise<unknown>;

/** Per server and method: the requests the host answers itself, and how (see requestEntry). */
const direct = new WeakMap<Server, Map<string, { plain: (request: JSONRPCRequest) => boolean; fast: DirectHandler }>>();

/**
 * Lets `fast` answer the requests of `method` that `plain` accepts, instead of the handler the SDK installed for
 * it. The SDK wraps a tools/call handler twice: the request is parsed by CallToolRequestSchema once per wrapper,
 * and the result is parsed (and so copied) by CallToolResultSchema; for a small call that is more work than the
 * host's whole routing. `plain` must accept only requests that parse unchanged and ask for no task, and `fast`
 * must answer only what the SDK's checks would pass (the host checks every tool result itself); anything else
 * still takes the SDK's handler. Transports that enter through requestEntry also skip the SDK's `_onrequest` for
 * these (see answerDirectly). The handler map is private to the SDK: when it is not there (another SDK version)
 * nothing changes.
 */
export function overrideSdkHandler(server: Server, method: string, plain: (request: JSONRPCRequest) => boolean, fast: Handler): void {
  const handlers = (server as unknown as { _requestHandlers?: unknown })._requestHandlers;
  if (!(handlers instanceof Map)) return;
  const sdk = handlers.get(method) as Handler | undefined;
  if (typeof sdk !== 'function') return;
  handlers.set(method, (request: JSONRPCRequest, extra: SdkExtra) => (plain(request) ? fast(request, extra) : sdk(request, extra)));
  if (!directAnswerSupported(server)) return;
  if (!direct.has(server)) direct.set(server, new Map());
  direct.get(server)!.set(method, { plain, fast });
}

/** The handler that answers `request` without the SDK's `_onrequest`, if there is one. */
export function directHandler(server: Server, request: JSONRPCRequest): DirectHandler | undefined {
  const entry = direct.get(server)?.get(request.method);
  return entry && entry.plain(request) ? entry.fast : undefined;
}
