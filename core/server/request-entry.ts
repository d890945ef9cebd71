import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { JSONRPCRequest, MessageExtraInfo } from '@modelcontextprotocol/sdk/types.js';
import { answerDirectly } from './direct-answer.js';
import { directHandler } from './sdk-handler-override.js';

export type RequestEntry = (request: JSONRPCRequest, extra?: MessageExtraInfo) => void;

/**
 * The SDK Protocol's own entry for a request (`_onrequest`), which its transport `onmessage` calls once it has
 * classified the message: response? error? request? — three zod parses, the first two failing for a request, which
 * costs more than the rest of the fast path (~30 µs a call). The fast path has already classified its message (a
 * request by the SDK's own schema, or by a shape that schema accepts), so it may enter there directly. A request
 * the host answers itself (overrideSdkHandler: a plain tools/call) skips `_onrequest` too (answerDirectly). The
 * method is private to the SDK: when it is not there (another SDK version), this is undefined and the fast path
 * uses `onmessage` like everyone else. The host's HTTP tests and the conformance run cover both being equivalent.
 */
export function requestEntry(server: Server): RequestEntry | undefined {
  const entry = (server as unknown as { _onrequest?: unknown })._onrequest;
  if (typeof entry !== 'function' || entry.length !== 2) return undefined;
  return (request, extra) => {
    const direct = directHandler(server, request);
    if (direct) answerDirectly(server, request, extra, direct);
    else entry.call(server, request, extra);
  };
}
