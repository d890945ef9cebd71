import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import {
  ErrorCode,
  McpError,
  type JSONRPCMessage,
  type JSONRPCRequest,
  type MessageExtraInfo,
  type RequestId,
  type ServerNotification,
  type ServerRequest,
} from '@modelcontextprotocol/sdk/types.js';
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
  const extra = new DirectExtra(server, request, info, transport?.sessionId);
  const cancel = extra[LAZY_ABORT];
  controllers.set(id, cancel);
  // Only ours: after a reconnect the same id may belong to another request.
  const done = () => {
    if (controllers.get(id) === cancel) controllers.delete(id);
  };
  const respond = (message: JSONRPCMessage) => {
    if (cancel.aborted || !transport) return done();
    let sent: Promise<void>;
    try {
      sent = transport.send(message);
    } catch (error) {
      sent = Promise.reject(error);
    }
    sent.then(done, (error) => {
      done();
      server.onerror?.(new Error(`Failed to send response: ${error}`));
    });
  };
  let work: Promise<unknown>;
  try {
    work = handler(request, extra as unknown as SdkExtra);
  } catch (error) {
    work = Promise.reject(error);
  }
  work.then(
    (result) => respond({ result: result as never, jsonrpc: '2.0', id }),
    (error) => {
      const code = (error as { code?: unknown })?.code;
      const data = (error as { data?: unknown })?.data;
      const message = (error as { message?: unknown })?.message ?? 'Internal error';
      respond({
        jsonrpc: '2.0',
        id,
        error: { code: Number.isSafeInteger(code) ? (code as number) : ErrorCode.InternalError, message: message as string, ...(data !== undefined && { data }) },
      });
    },
  );
}

/**
 * The SDK's `extra` for one directly answered request. A class, not a literal with closures: only the host's own
 * code reads it (createRequestExtra calls its methods), and a quick call needs none of its functions.
 */
class DirectExtra {
  readonly [LAZY_ABORT] = new LazyAbort();
  readonly requestId: RequestId;
  readonly _meta: unknown;
  readonly authInfo: unknown;
  readonly requestInfo: unknown;
  readonly closeSSEStream: unknown;
  readonly closeStandaloneSSEStream: unknown;

  constructor(
    private readonly server: Server,
    request: JSONRPCRequest,
    info: MessageExtraInfo | undefined,
    readonly sessionId: string | undefined,
  ) {
    this.requestId = request.id;
    this._meta = request.params?._meta;
    this.authInfo = info?.authInfo;
    this.requestInfo = info?.requestInfo;
    this.closeSSEStream = info?.closeSSEStream;
    this.closeStandaloneSSEStream = info?.closeStandaloneSSEStream;
  }

  get signal(): AbortSignal {
    return this[LAZY_ABORT].signal;
  }

  async sendNotification(notification: ServerNotification): Promise<void> {
    if (this[LAZY_ABORT].aborted) return;
    await this.server.notification(notification, { relatedRequestId: this.requestId });
  }

  async sendRequest(request: ServerRequest, schema: unknown, options?: object): Promise<unknown> {
    if (this[LAZY_ABORT].aborted) throw new McpError(ErrorCode.ConnectionClosed, 'Request was cancelled');
    return this.server.request(request, schema as never, { ...options, relatedRequestId: this.requestId });
  }
}
