import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { HostChannel } from '../plugins/host-channel.js';
import type { SurfaceKind } from '../registry/entries.js';
import type { Registry } from '../registry/registry.js';
import { packageVersion } from '../util/package-root.js';
import { ClientBridge } from './client-bridge.js';
import { registerCompletionHandler } from './completion-handler.js';
import { answerBadParamsAsInvalidParams } from './invalid-params.js';
import { registerPromptHandlers } from './prompt-handlers.js';
import { Readiness } from './readiness.js';
import { registerResourceHandlers } from './resource-handlers.js';
import { SubscriptionCounts } from './subscription-counts.js';
import { registerToolHandlers, type ToolListFilter } from './tool-handlers.js';

const NOTIFY = { tools: 'sendToolListChanged', resources: 'sendResourceListChanged', prompts: 'sendPromptListChanged' } as const;

/**
 * The MCP side of the host: the SDK's low-level Server with the host's own handlers, so the host
 * owns list/call/read and sends one list_changed per kind per change burst.
 */
export class McpFrontend {
  readonly server: Server;
  readonly bridge: ClientBridge;
  readonly readiness = new Readiness();
  /** What plugins and the lifecycle reach of the client. */
  readonly channel: HostChannel;
  /** Items per list page; set from the config once it is read. */
  pageSize = 5000;
  /** Which tools tools/list shows (toolExposure). */
  toolFilter: ToolListFilter = (tools: Tool[]) => tools;
  private exposure?: string;
  private pending = new Set<SurfaceKind>();
  private holds = 0;
  private scheduled = false;
  private readonly unsubscribe: () => void;

  /**
   * `counts` is shared by every frontend of one host (HTTP sessions), so plugin subscribe hooks run for the first
   * subscriber and unsubscribe hooks for the last; a lone stdio frontend has its own.
   */
  constructor(
    private readonly registry: Registry,
    private readonly counts = new SubscriptionCounts(),
  ) {
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
    registerToolHandlers(this.server, registry, this.readiness, size, () => this.toolFilter);
    registerResourceHandlers(this.server, registry, this.readiness, this.bridge, size, counts);
    registerPromptHandlers(this.server, registry, this.readiness, size);
    registerCompletionHandler(this.server, registry);
    answerBadParamsAsInvalidParams(this.server);
    this.unsubscribe = registry.onChange((kinds) => this.queue(kinds));
    this.channel = {
      client: this.bridge.client,
      resourceUpdated: (uri) => this.bridge.resourceUpdated(uri),
      generationLive: (instanceId) => this.resubscribe(instanceId),
      holdNotifications: () => {
        this.holds++;
        let released = false;
        return () => {
          if (released) return;
          released = true;
          if (--this.holds === 0) this.schedule();
        };
      },
    };
  }

  /**
   * Applies the config's list settings. `exposure` names the tool filter (toolExposure): switching it changes
   * tools/list without the registry changing, so the client is told like for any change.
   */
  configure(settings: { listPageSize: number; startupWaitMs: number }, exposure: string, filter: ToolListFilter): void {
    this.pageSize = settings.listPageSize;
    this.readiness.waitMs = settings.startupWaitMs;
    if (exposure === this.exposure) return;
    const switched = this.exposure !== undefined;
    this.exposure = exposure;
    this.toolFilter = filter;
    if (switched) this.queue(new Set(['tools']));
  }

  connect(transport: Transport): Promise<void> {
    return this.server.connect(transport);
  }

  /**
   * An HTTP session ended: stop following the shared registry, and leave the session's subscriptions (the plugin's
   * unsubscribe hook runs for URIs no other session subscribes to).
   */
  dispose(): void {
    this.unsubscribe();
    this.pending.clear();
    for (const uri of this.bridge.subscriptions) {
      if (!this.counts.release(uri)) continue;
      const target = this.registry.resolveResource(uri);
      if (!target) continue;
      void Promise.resolve()
        .then(() => (target.resource?.def ?? target.template!.def).unsubscribe?.(target.uri))
        .catch(() => {});
    }
    this.bridge.subscriptions.clear();
  }

  /** A kind the client has not listed yet needs no notification: its first list will show the change. */
  private queue(kinds: Set<SurfaceKind>): void {
    for (const kind of kinds) if (this.readiness.listed.has(kind)) this.pending.add(kind);
    this.schedule();
  }

  /** One notification per kind per burst (a tick, or a held reload), only for kinds the client has listed. */
  private schedule(): void {
    if (this.scheduled || this.holds > 0 || this.pending.size === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.holds > 0) return;
      const send = [...this.pending];
      this.pending = new Set();
      for (const kind of send) void this.server[NOTIFY[kind]]().catch(() => {});
    });
  }

  /** Subscriptions belong to the client, keyed by exposed URI: a new generation gets its subscribe hooks called for them. */
  private async resubscribe(instanceId: string): Promise<void> {
    // Every subscribed URI of the host once (frontends sharing the counts share this list).
    for (const uri of [...this.counts.uris()]) {
      const target = this.registry.resolveResource(uri);
      if (target?.owner.instanceId !== instanceId) continue;
      try {
        await (target.resource?.def ?? target.template!.def).subscribe?.(target.uri);
      } catch {
        // The subscription stays; the plugin logs its own failure.
      }
    }
  }
}
