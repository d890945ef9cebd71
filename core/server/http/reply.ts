import type { ServerResponse } from 'node:http';

/** JSON-RPC error codes used on the HTTP side (the SDK's own for the same cases). */
export const RPC = { parseError: -32700, invalidRequest: -32600, internal: -32603, serverError: -32000 } as const;

/** Answers with an HTTP status and a JSON-RPC error body (`id: null`: the request may not even have parsed). */
export function replyError(res: ServerResponse, status: number, code: number, message: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const body = JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

export function replyJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
}
