import type { ClientInfo } from '../api/plugin-api.js';
import type { HostChannel } from '../plugins/host-channel.js';
import type { McpFrontend } from './mcp-frontend.js';

/**
 * The one HostChannel of an HTTP host, fanned out to every live session's frontend.
 *
 * - resourceUpdated goes to every session (each frontend checks its own subscriptions); generationLive
 *   re-subscribes each subscribed URI once (the frontends share one SubscriptionCounts).
 * - holdNotifications holds every session, including sessions that open while the hold lasts.
 * - `client` is the most recently initialized session's client (there is no single client over HTTP):
 *   `ctx.client.capabilities()` and `listRoots()` answer for that session; roots-changed listeners hear every
 *   session. Per-request things (elicit, sampling, progress, log) travel with the request, so they reach the
 *   session that made the call whatever this says.
 */
export class SessionHub implements HostChannel {
  private readonly frontends = new Set<McpFrontend>();
  /** Each running hold: the release function it took on every frontend. */
  private readonly holds = new Set<Map<McpFrontend, () => void>>();
  private readonly rootsListeners = new Set<() => void>();
  private latest?: McpFrontend;

  readonly client: ClientInfo = {
    capabilities: () => this.latest?.channel.client.capabilities(),
    listRoots: async () => (this.latest ? this.latest.channel.client.listRoots() : []),
    onRootsChanged: (listener) => {
      this.rootsListeners.add(listener);
      return () => this.rootsListeners.delete(listener);
    },
  };

  get size(): number {
    return this.frontends.size;
  }

  add(frontend: McpFrontend): void {
    this.frontends.add(frontend);
    for (const hold of this.holds) hold.set(frontend, frontend.channel.holdNotifications());
    const previous = frontend.server.oninitialized;
    frontend.server.oninitialized = () => {
      this.latest = frontend;
      previous?.();
    };
    frontend.channel.client.onRootsChanged(() => {
      for (const listener of this.rootsListeners) {
        try {
          listener();
        } catch {
          // One plugin's listener failing must not stop the others.
        }
      }
    });
  }

  remove(frontend: McpFrontend): void {
    if (!this.frontends.delete(frontend)) return;
    for (const hold of this.holds) {
      hold.get(frontend)?.();
      hold.delete(frontend);
    }
    if (this.latest === frontend) this.latest = [...this.frontends].at(-1);
    frontend.dispose();
  }

  resourceUpdated(exposedUri: string): void {
    for (const frontend of this.frontends) frontend.channel.resourceUpdated(exposedUri);
  }

  /** The frontends share one SubscriptionCounts: any one of them re-subscribes every subscribed URI, once. */
  async generationLive(instanceId: string): Promise<void> {
    const [any] = this.frontends;
    await any?.channel.generationLive(instanceId);
  }

  holdNotifications(): () => void {
    const hold = new Map<McpFrontend, () => void>();
    for (const frontend of this.frontends) hold.set(frontend, frontend.channel.holdNotifications());
    this.holds.add(hold);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds.delete(hold);
      for (const release of hold.values()) release();
    };
  }
}
