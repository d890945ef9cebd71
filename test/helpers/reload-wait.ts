import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { HostUnderTest } from './spawn-host.js';

/** Hot-reload effects are awaited by polling with a generous bound, never by a fixed sleep. */
export const RELOAD_DEADLINE_MS = 10_000;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Calls `read` until `done` accepts its value; throws (with the last value) after `timeoutMs`. */
export async function pollUntil<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = RELOAD_DEADLINE_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value)) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last value: ${JSON.stringify(value)}`);
    await sleep(50);
    value = await read();
  }
  return value;
}

/** Resolves once the daemon logged that its file watchers are ready (edits before that are not seen). */
export function waitForWatching(host: HostUnderTest): Promise<string> {
  return pollUntil('the daemon to start watching files', async () => host.stderr(), (text) => text.includes('watching plugins.json'));
}

/** Counts one kind of notification; `waitFor(n)` resolves once `n` arrived in total. */
export interface NotificationCounter<P> {
  items: P[];
  waitFor(count: number, what?: string): Promise<P[]>;
}

export function countNotifications<P = unknown>(client: Client, schema: Parameters<Client['setNotificationHandler']>[0]): NotificationCounter<P> {
  const items: P[] = [];
  client.setNotificationHandler(schema, (notification: { params?: unknown }) => void items.push(notification.params as P));
  return {
    items,
    waitFor: (count, what = `${count} notification(s)`) => pollUntil(what, async () => items.length, (n) => n >= count).then(() => items),
  };
}
