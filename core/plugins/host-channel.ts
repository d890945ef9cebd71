import type { ClientInfo } from '../api/plugin-api.js';

/** What plugins reach of the MCP side, provided by core/server (so core/plugins never imports it). */
export interface HostChannel {
  readonly client: ClientInfo;
  /** A resource changed; `exposedUri` is in exposed terms. Sent to the client if it subscribed. */
  resourceUpdated(exposedUri: string): void;
}
