import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  ErrorCode,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
  type Resource,
} from '@modelcontextprotocol/sdk/types.js';
import { EXPIRED, expiredText, withDeadline } from '../limits/call-deadline.js';
import { DEFAULT_TIMEOUT_MS } from '../limits/call-policy.js';
import type { Registry, ResolvedResource } from '../registry/registry.js';
import { exposeUri } from '../registry/resource-uri.js';
import type { ClientBridge } from './client-bridge.js';
import { listResult } from './list-paging.js';
import type { Readiness } from './readiness.js';
import { createRequestExtra } from './request-extra.js';
import { exposeReadUris } from './rewrite-result-uris.js';
import type { SubscriptionCounts } from './subscription-counts.js';

const RESOURCE_NOT_FOUND = -32002;

/** resources/list, templates/list, read, subscribe and unsubscribe, routed to the owning instance. */
export function registerResourceHandlers(
  server: Server,
  registry: Registry,
  readiness: Readiness,
  bridge: ClientBridge,
  pageSize: () => number,
  counts: SubscriptionCounts,
): void {
  server.setRequestHandler(ListResourcesRequestSchema, async (request, extra) => {
    await readiness.firstList('resources');
    const listed: Resource[] = [...registry.listResources()];
    for (const entry of registry.templateEntries()) {
      if (!entry.def.list) continue;
      const { owner } = entry;
      try {
        for (const resource of await entry.def.list(createRequestExtra(server, extra, owner.instanceId))) {
          listed.push({ ...resource, uri: exposeUri(owner.namespace, resource.uri, owner.instanceId) });
        }
      } catch {
        // One instance failing to list must not hide everyone else's resources.
      }
    }
    return listResult('resources', listed, request.params?.cursor, pageSize());
  });

  server.setRequestHandler(ListResourceTemplatesRequestSchema, async (request) => {
    await readiness.firstList('resources');
    return listResult('resourceTemplates', registry.listTemplates(), request.params?.cursor, pageSize());
  });

  server.setRequestHandler(ReadResourceRequestSchema, async (request, extra) => {
    const target = await resolve(registry, readiness, request.params.uri);
    const { owner } = target;
    owner.enter();
    try {
      const ms = owner.policy ? owner.policy.timeoutMs : DEFAULT_TIMEOUT_MS;
      const result = await withDeadline(ms, createRequestExtra(server, extra, owner.instanceId), (requestExtra) =>
        target.resource ? target.resource.def.read(target.uri, requestExtra) : target.template!.def.read(target.uri, target.variables!, requestExtra),
      );
      if (result === EXPIRED) throw new Error(expiredText(ms, owner.instanceId));
      if (!result || !Array.isArray(result.contents)) throw new Error('expected { contents: [...] }');
      return exposeReadUris(result, owner);
    } catch (error) {
      throw new McpError(ErrorCode.InternalError, `Reading ${request.params.uri} failed: ${(error as Error)?.message ?? String(error)}`);
    } finally {
      owner.leave();
    }
  });

  server.setRequestHandler(SubscribeRequestSchema, async (request) => {
    const { uri } = request.params;
    const target = await resolve(registry, readiness, uri);
    if (!bridge.subscriptions.has(uri)) {
      // The plugin hears only the first subscriber across all sessions (and, below, the last to leave).
      if (counts.acquire(uri)) {
        try {
          await (target.resource?.def ?? target.template!.def).subscribe?.(target.uri);
        } catch (error) {
          counts.release(uri);
          throw error;
        }
      }
      bridge.subscriptions.add(uri);
    }
    return {};
  });

  server.setRequestHandler(UnsubscribeRequestSchema, async (request) => {
    const { uri } = request.params;
    if (!bridge.subscriptions.delete(uri) || !counts.release(uri)) return {};
    const target = registry.resolveResource(uri);
    if (target) await (target.resource?.def ?? target.template!.def).unsubscribe?.(target.uri);
    return {};
  });
}

async function resolve(registry: Registry, readiness: Readiness, uri: string): Promise<ResolvedResource> {
  const target = await readiness.find(() => registry.resolveResource(uri));
  if (!target) throw new McpError(RESOURCE_NOT_FOUND, `Resource not found: ${uri}`, { uri });
  return target;
}
