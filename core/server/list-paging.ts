import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';

/** One page of a cached list. The cursor is an opaque offset; a list that changed meanwhile just continues from there. */
export function page<T>(items: T[], cursor: string | undefined, pageSize: number): { items: T[]; nextCursor?: string } {
  let start = 0;
  if (cursor !== undefined) {
    const decoded = /^o(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!decoded) throw new McpError(ErrorCode.InvalidParams, `Invalid cursor: ${JSON.stringify(cursor).slice(0, 80)}`);
    start = Number(decoded[1]);
  }
  if (start === 0 && items.length <= pageSize) return { items };
  const end = start + pageSize;
  const slice = items.slice(start, end);
  return end < items.length ? { items: slice, nextCursor: Buffer.from(`o${end}`).toString('base64url') } : { items: slice };
}
