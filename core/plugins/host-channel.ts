import type { ClientInfo } from '../api/plugin-api.js';

/** What plugins and the lifecycle reach of the MCP side, provided by core/server (so core/plugins never imports it). */
export interface HostChannel {
  readonly client: ClientInfo;
  /** A resource changed; `exposedUri` is in exposed terms. Sent to the client if it subscribed. */
  resourceUpdated(exposedUri: string): void;
  /** A new generation of the instance went live: carry the client's subscriptions over to it. */
  generationLive(instanceId: string): Promise<void>;
  /** Holds list_changed notifications until the returned function is called, so a reload burst sends one per kind. */
  holdNotifications(): () => void;
}

/** The channel of a host with no MCP client attached (the CLI's list and doctor). */
export const noClientChannel: HostChannel = {
  client: { capabilities: () => undefined, listRoots: async () => [], onRootsChanged: () => () => {} },
  resourceUpdated: () => {},
  generationLive: async () => {},
  holdNotifications: () => () => {},
};
