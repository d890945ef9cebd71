import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { reuseJson } from './json-cache.js';

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

const wholeResults = new WeakMap<object, object>();

/**
 * A list result (`{tools: [...]}`, `{prompts: [...]}`, ...) for one page. When the whole cached list fits in
 * one page, the same result object is returned every time and its JSON is reused until the list changes.
 */
export function listResult<K extends string, T>(key: K, items: T[], cursor: string | undefined, pageSize: number): { [P in K]: T[] } & { nextCursor?: string } {
  const { items: pageItems, nextCursor } = page(items, cursor, pageSize);
  if (nextCursor) return { [key]: pageItems, nextCursor } as { [P in K]: T[] } & { nextCursor?: string };
  if (pageItems !== items) return { [key]: pageItems } as { [P in K]: T[] };
  let whole = wholeResults.get(items);
  if (!whole) wholeResults.set(items, (whole = reuseJson({ [key]: items })));
  return whole as { [P in K]: T[] };
}
