import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ErrorCode,
  ListRootsRequestSchema,
  LoggingMessageNotificationSchema,
  McpError,
  PromptListChangedNotificationSchema,
  ResourceListChangedNotificationSchema,
  ResourceUpdatedNotificationSchema,
  ToolListChangedNotificationSchema,
  type ClientCapabilities,
} from '@modelcontextprotocol/sdk/types.js';
import type { PluginContext } from '../../core/api/index.js';
import type { Catalog } from './catalog/catalog.js';
import type { McpServerConfig } from './config.js';
import type { ServerCalls } from './server-calls.js';
import type { StderrSink } from './stderr-sink.js';

interface Parts {
  readonly instanceId: string;
  readonly calls: ServerCalls;
  readonly catalog: Catalog;
  readonly serverLog: StderrSink;
}

/**
 * What the server may send us: its requests (sampling, elicitation, roots), forwarded to the host's
 * client through the host request in flight, and its notifications (list changes, resource updates,
 * log messages). Handlers exist only for capabilities declared to the server.
 */
export function installClientHandlers(client: Client, declared: ClientCapabilities, ctx: PluginContext<McpServerConfig>, parts: Parts): void {
  const { calls, catalog } = parts;
  const outsideCall = (what: string) =>
    new McpError(ErrorCode.InvalidRequest, `mcp-host forwards ${what} from MCP server "${parts.instanceId}" only while one of its tool calls (or reads) is running`);

  if (declared.sampling) {
    client.setRequestHandler(CreateMessageRequestSchema, async (request) => {
      const extra = calls.inflight.newest();
      if (!extra) throw outsideCall('sampling');
      return extra.createMessage(request.params);
    });
  }
  if (declared.elicitation) {
    client.setRequestHandler(ElicitRequestSchema, async (request) => {
      const extra = calls.inflight.newest();
      if (!extra) throw outsideCall('elicitation');
      return extra.elicit(request.params);
    });
  }
  if (declared.roots) {
    client.setRequestHandler(ListRootsRequestSchema, async () => ({ roots: await ctx.client.listRoots() }));
  }
  // A server that asks anyway (not every server checks what the client declared) gets told why, not "Method not found".
  client.fallbackRequestHandler = async (request) => {
    const what = { 'sampling/createMessage': 'sampling', 'elicitation/create': 'elicitation', 'roots/list': 'roots' }[request.method];
    if (!what) throw new McpError(ErrorCode.MethodNotFound, `Method not found: ${request.method}`);
    const reason = what === 'roots' ? 'forwardRoots is off in its config, or the client has no roots' : 'the client connected to mcp-host does not support it';
    throw new McpError(ErrorCode.InvalidRequest, `mcp-host did not offer ${what} to MCP server "${parts.instanceId}": ${reason}`);
  };

  client.setNotificationHandler(ToolListChangedNotificationSchema, () => void catalog.refresh('tools'));
  client.setNotificationHandler(PromptListChangedNotificationSchema, () => void catalog.refresh('prompts'));
  client.setNotificationHandler(ResourceListChangedNotificationSchema, () => void catalog.refresh('resources'));
  client.setNotificationHandler(ResourceUpdatedNotificationSchema, (notification) => ctx.resources.notifyUpdated(notification.params.uri));
  client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => {
    const { level, data, logger } = notification.params;
    // Over stdio a log message names no request: it goes to the client with the newest call, else to the host's log.
    const extra = calls.inflight.newest();
    if (extra) void extra.log(level, data).catch(() => {});
    else parts.serverLog.write(`${level}${logger ? ` ${logger}` : ''}: ${typeof data === 'string' ? data : JSON.stringify(data)}\n`);
  });
}
