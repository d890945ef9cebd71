import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { SurfaceKind } from '../registry/entries.js';
import type { Registry } from '../registry/registry.js';
import { packageVersion } from '../util/package-root.js';
import { ClientBridge } from './client-bridge.js';
import { registerCompletionHandler } from './completion-handler.js';
import { registerPromptHandlers } from './prompt-handlers.js';
import { Readiness } from './readiness.js';
import { registerResourceHandlers } from './resource-handlers.js';
import { registerToolHandlers } from './tool-handlers.js';

const NOTIFY = { tools: 'sendToolListChanged', resources: 'sendResourceListChanged', prompts: 'sendPromptListChanged' } as const;

/**
 * The MCP side of the host: the SDK's low-level Server with the host's own handlers, so the host
 * owns list/call/read and sends one list_changed per kind per change burst.
 */
export class McpFrontend {
  readonly server: Server;
  readonly bridge: ClientBridge;
  readonly readiness = new Readiness();
  private pending = new Set<SurfaceKind>();

  /** Items per list page; set from the config once it is read. */
  pageSize = 5000;

  constructor(registry: Registry) {
    this.server = new Server(
      { name: 'mcp-host', title: 'mcp-plugin-host', version: packageVersion },
      {
        capabilities: {
          tools: { listChanged: true },
          resources: { subscribe: true, listChanged: true },
          prompts: { listChanged: true },
          logging: {},
          completions: {},
        },
      },
    );
    this.bridge = new ClientBridge(this.server);
    const size = () => this.pageSize;
    registerToolHandlers(this.server, registry, this.readiness, size);
    registerResourceHandlers(this.server, registry, this.readiness, this.bridge, size);
    registerPromptHandlers(this.server, registry, this.readiness, size);
    registerCompletionHandler(this.server, registry);
    registry.onChange((kinds) => this.queue(kinds));
  }

  connect(transport: Transport): Promise<void> {
    return this.server.connect(transport);
  }

  /** Coalesces changes of one tick into one notification per kind, sent only for kinds the client has listed. */
  private queue(kinds: Set<SurfaceKind>): void {
    const first = this.pending.size === 0;
    for (const kind of kinds) this.pending.add(kind);
    if (!first) return;
    setImmediate(() => {
      const send = [...this.pending].filter((kind) => this.readiness.listed.has(kind));
      this.pending = new Set();
      for (const kind of send) void this.server[NOTIFY[kind]]().catch(() => {});
    });
  }
}
