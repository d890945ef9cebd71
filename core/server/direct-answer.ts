import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { ErrorCode, McpError, type JSONRPCRequest, type MessageExtraInfo, type ServerNotification, type ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import { LAZY_ABORT, LazyAbort } from '../limits/cancellation.js';

type SdkExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;
export type DirectHandler = (request: JSONRPCRequest, extra: SdkExtra) => Promise<unknown>;

/** The parts of the SDK Protocol a direct answer shares with it (private to the SDK: see directAnswerSupported). */
interface ProtocolInternals {
  _requestHandlerAbortControllers: Map<unknown, { abort(reason?: unknown): void }>;
}

/** True when this SDK keeps its request cancellation where a direct answer can take part in it. */
export function directAnswerSupported(server: Server): boolean {
  return (server as unknown as Partial<ProtocolInternals>)._requestHandlerAbortControllers instanceof Map;
}

/**
 * Answers `request` with `handler` as the SDK Protocol's `_onrequest` would, for a request without a task: the
 * same `extra` (progress and client requests tied to the request, the session, auth and request info), the same
 * cancellation (the SDK's cancel notification and close reach it through the SDK's map), the same result and
 * error responses, and nothing sent once cancelled. It leaves out what such a request does not use (task lookups
 * and queues), and the AbortController the SDK makes for every request (see LazyAbort).
 */
export function answerDirectly(server: Server, request: JSONRPCRequest, info: MessageExtraInfo | undefined, handler: DirectHandler): void {
  const controllers = (server as unknown as ProtocolInternals)._requestHandlerAbortControllers;
  const transport = server.transport;
  const id = request.id;
  const cancel = new LazyAbort();
  controllers.set(id, cancel);
  const extra = {
    get signal() {
      return cancel.signal;
    },
    [LAZY_ABORT]: cancel,
    sessionId: transport?.sessionId,
    _meta: request.params?._meta,
    sendNotification: async (notification: ServerNotification) => {
      if (cancel.aborted) return;
      await server.notification(notification, { relatedRequestId: id });
    },
    sendRequest: async (r: ServerRequest, schema: unknown, options?: object) => {
      if (cancel.aborted) throw new McpError(ErrorCode.ConnectionClosed, 'Request was cancelled');
      return server.request(r, schema as never, { ...options, relatedRequestId: id });
    },
    authInfo: info?.authInfo,
    requestId: id,
    requestInfo: info?.requestInfo,
    closeSSEStream: info?.closeSSEStream,
    closeStandaloneSSEStream: info?.closeStandaloneSSEStream,
  } as unknown as SdkExtra;
  let work: Promise<unknown>;
  try {
    work = handler(request, extra);
  } catch (error) {
    work = Promise.reject(error);
  }
  work
    .then(
      async (result) => {
        if (!cancel.aborted) await transport?.send({ result: result as never, jsonrpc: '2.0', id });
      },
      async (error) => {
        if (cancel.aborted) return;
        const code = (error as { code?: unknown })?.code;
        const data = (error as { data?: unknown })?.data;
        const message = (error as { message?: unknown })?.message ?? 'Internal error';
        await transport?.send({
          jsonrpc: '2.0',
          id,
          error: { code: Number.isSafeInteger(code) ? (code as number) : ErrorCode.InternalError, message: message as string, ...(data !== undefined && { data }) },
        });
      },
    )
    .catch((error) => server.onerror?.(new Error(`Failed to send response: ${error}`)))
    .finally(() => {
      // Only ours: after a reconnect the same id may belong to another request.
      if (controllers.get(id) === cancel) controllers.delete(id);
    });
}
