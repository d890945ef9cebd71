import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { RootsListChangedNotificationSchema, type Root } from '@modelcontextprotocol/sdk/types.js';
import type { ClientInfo } from '../api/plugin-api.js';

/** The MCP client as plugins see it (`ctx.client`), and the way their resource updates reach subscribers. */
export class ClientBridge {
  readonly subscriptions = new Set<string>();
  private readonly rootsListeners = new Set<() => void>();
  readonly client: ClientInfo;

  constructor(private readonly server: Server) {
    server.setNotificationHandler(RootsListChangedNotificationSchema, async () => {
      for (const listener of this.rootsListeners) {
        try {
          listener();
        } catch {
          // A plugin's listener failing must not stop the others.
        }
      }
    });
    this.client = {
      capabilities: () => server.getClientCapabilities(),
      listRoots: async (): Promise<Root[]> => (server.getClientCapabilities()?.roots ? (await server.listRoots()).roots : []),
      onRootsChanged: (listener) => {
        this.rootsListeners.add(listener);
        return () => this.rootsListeners.delete(listener);
      },
    };
  }

  resourceUpdated(exposedUri: string): void {
    if (this.subscriptions.has(exposedUri)) void this.server.sendResourceUpdated({ uri: exposedUri }).catch(() => {});
  }
}
