import type { IncomingMessage } from 'node:http';
import {
  JSONRPCNotificationSchema,
  JSONRPCRequestSchema,
  SUPPORTED_PROTOCOL_VERSIONS,
  type JSONRPCNotification,
  type JSONRPCRequest,
} from '@modelcontextprotocol/sdk/types.js';
import { commonShape } from '../common-shape.js';

export type PlainPost = { request: JSONRPCRequest; notification?: undefined } | { notification: JSONRPCNotification; request?: undefined };

/**
 * The POST the fast path may serve without the SDK transport: one the SDK would accept as it is and answer in the
 * common way. Every check is a subset of the SDK's own (webStandardStreamableHttp.js handlePostRequest), so anything
 * this refuses (undefined) goes to the SDK transport, which gives it the SDK's exact answer (406, 415, 400, ...):
 * - Accept lists both application/json and text/event-stream (the SDK's substring test);
 * - Content-Type is plain application/json (optionally `; charset=utf-8`);
 * - MCP-Protocol-Version is absent or one the SDK supports;
 * - the body is ONE JSON-RPC request other than initialize, or ONE notification (the SDK's own schemas decide).
 */
export function plainPost(req: IncomingMessage, body: unknown): PlainPost | undefined {
  const accept = req.headers.accept;
  if (typeof accept !== 'string' || !accept.includes('application/json') || !accept.includes('text/event-stream')) return undefined;
  if (!plainJson(req.headers['content-type'])) return undefined;
  const version = req.headers['mcp-protocol-version'];
  if (version !== undefined && (typeof version !== 'string' || !SUPPORTED_PROTOCOL_VERSIONS.includes(version))) return undefined;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const message = body as Record<string, unknown>;
  if (message.method === 'initialize') return undefined;
  // The common shape is checked by hand (the SDK's zod schemas cost as much as the rest of the fast path); an
  // unusual one (extra members, _meta, odd ids) gets the SDK's schemas, which decide exactly as the SDK would.
  const common = commonShape(message);
  if ('id' in message) {
    if (common) return { request: message as unknown as JSONRPCRequest };
    const parsed = JSONRPCRequestSchema.safeParse(body);
    return parsed.success ? { request: parsed.data } : undefined;
  }
  if (common) return { notification: message as unknown as JSONRPCNotification };
  const parsed = JSONRPCNotificationSchema.safeParse(body);
  return parsed.success ? { notification: parsed.data } : undefined;
}

function plainJson(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const value = contentType.toLowerCase();
  return value === 'application/json' || value.replace(/\s+/g, '') === 'application/json;charset=utf-8';
}
