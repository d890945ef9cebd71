import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Notification } from '@modelcontextprotocol/sdk/types.js';
import { fixturesDir } from './paths.js';
import { writeConfig } from './spawn-host.js';

/** The folder holding the `proto-*` fixture plugins (and others: only configured instances load). */
export const protoPluginsDir = join(fixturesDir, 'plugins');

/** A plugins.json whose instances all run `proto-kitchen` (unless an entry says otherwise). */
export function protoConfig(instances: string[], extra: Record<string, unknown> = {}): string {
  const plugins = Object.fromEntries(instances.map((name) => [name, { plugin: 'proto-kitchen' }]));
  return writeConfig({ pluginDirs: [protoPluginsDir], ...extra, plugins });
}

/** The text of a tool result's first content item. */
export function textOf(result: object): string {
  const first = ((result as { content?: unknown }).content as { type: string; text?: string }[] | undefined)?.[0];
  if (first?.type !== 'text' || typeof first.text !== 'string') throw new Error(`expected a text result, got ${JSON.stringify(result)}`);
  return first.text;
}

/** The JSON a fixture tool encoded in its text result. */
export function jsonOf<T = any>(result: object): T {
  return JSON.parse(textOf(result)) as T;
}

/**
 * Records every notification of one kind the client receives; `next(n)` resolves once `n` have
 * arrived in total (the test's own timeout bounds the wait).
 */
export function recordNotifications<N extends Notification>(
  client: Client,
  schema: Parameters<Client['setNotificationHandler']>[0],
): { items: N['params'][]; next(count: number): Promise<N['params'][]> } {
  const items: N['params'][] = [];
  let waiters: { count: number; resolve: () => void }[] = [];
  client.setNotificationHandler(schema, (notification: N) => {
    items.push(notification.params);
    waiters = waiters.filter((w) => (items.length >= w.count ? (w.resolve(), false) : true));
  });
  return {
    items,
    next: (count) =>
      items.length >= count ? Promise.resolve(items) : new Promise((resolve) => waiters.push({ count, resolve: () => resolve(items) })),
  };
}

/** Calls `read` until `done` accepts its value, for state a plugin updates right after a notification (bounded tries). */
export async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, tries = 100): Promise<T> {
  let value = await read();
  for (let i = 1; i < tries && !done(value); i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    value = await read();
  }
  return value;
}
