import { RELATED_TASK_META_KEY } from '@modelcontextprotocol/sdk/types.js';

/**
 * `{jsonrpc: "2.0", id?: string | safe integer, method: string, params?: object}` and nothing else, where `_meta`, if
 * present, is an object with at most a string or integer progressToken among the members the SDK checks: a shape the
 * SDK's strict JSONRPCRequestSchema / JSONRPCNotificationSchema accept unchanged (`params` and `_meta` are loose
 * objects). Transports that see this shape may skip the SDK's schemas (which cost more than the rest of a call's
 * routing); anything else is left to the schemas.
 */
export function commonShape(message: Record<string, unknown>): boolean {
  for (const key in message) if (key !== 'jsonrpc' && key !== 'id' && key !== 'method' && key !== 'params') return false;
  if (message.jsonrpc !== '2.0' || typeof message.method !== 'string') return false;
  const { id, params } = message;
  if (id !== undefined && typeof id !== 'string' && !Number.isSafeInteger(id)) return false;
  if (params === undefined) return true;
  if (typeof params !== 'object' || params === null || Array.isArray(params)) return false;
  return plainMeta((params as { _meta?: unknown })._meta);
}

/** A request's `_meta`: absent, or an object with no related task and at most a string or integer progressToken. */
export function plainMeta(meta: unknown): boolean {
  if (meta === undefined) return true;
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta) || RELATED_TASK_META_KEY in meta) return false;
  const token = (meta as { progressToken?: unknown }).progressToken;
  return token === undefined || typeof token === 'string' || Number.isSafeInteger(token);
}
