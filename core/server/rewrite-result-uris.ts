import type { CallToolResult, ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import type { Owner } from '../registry/entries.js';
import { exposeUri, parseUri } from '../registry/resource-uri.js';

/** Resource links and embedded resources in a tool result point at the exposed URIs, so the client can read them back. */
export function exposeResultUris(result: CallToolResult, owner: Owner): CallToolResult {
  if (owner.namespace === '') return result;
  for (const item of result.content) {
    if (item.type === 'resource_link') item.uri = expose(owner, item.uri);
    else if (item.type === 'resource') item.resource.uri = expose(owner, item.resource.uri);
  }
  return result;
}

export function exposeReadUris(result: ReadResourceResult, owner: Owner): ReadResourceResult {
  if (owner.namespace !== '') for (const content of result.contents) content.uri = expose(owner, content.uri);
  return result;
}

function expose(owner: Owner, uri: string): string {
  return parseUri(uri) ? exposeUri(owner.namespace, uri, owner.instanceId) : uri;
}
