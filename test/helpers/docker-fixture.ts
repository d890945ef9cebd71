/**
 * Host configs and calls for the docker plugin tests, and a socket proxy that stands in for an Engine
 * appearing later at some path (it forwards every connection to the real Engine's socket).
 */
import { rmSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { writeConfig } from './spawn-host.js';

/**
 * A plugins.json with docker instances (`instance -> config`). The first call waits up to 30 s (not 5) for the
 * instances to start: suites run in parallel next to a busy Engine, and a call must not miss its tool.
 */
export function dockerConfig(instances: Record<string, Record<string, unknown>>, extra: Record<string, unknown> = {}): string {
  const plugins = Object.fromEntries(Object.entries(instances).map(([name, config]) => [name, { plugin: 'docker', config }]));
  return writeConfig({ watch: false, startupWaitMs: 30000, ...extra, plugins });
}

export interface ToolOutcome {
  isError: boolean;
  text: string;
  structured: any;
}

export async function call(client: Client, name: string, args: Record<string, unknown> = {}, options: { signal?: AbortSignal; timeout?: number } = {}): Promise<ToolOutcome> {
  const result = await client.callTool({ name, arguments: args }, undefined, { signal: options.signal, timeout: options.timeout ?? 60_000 });
  const text = ((result.content as { type: string; text?: string }[]) ?? []).map((c) => c.text ?? '').join('\n');
  return { isError: result.isError === true, text, structured: result.structuredContent };
}

export interface SocketProxy {
  close(): Promise<void>;
}

/** Listens on `listenPath` and pipes every connection to `targetPath`. */
export function startSocketProxy(listenPath: string, targetPath: string): Promise<SocketProxy> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = createConnection(targetPath);
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(listenPath, () =>
      resolve({
        close: () =>
          new Promise((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => {
              rmSync(listenPath, { force: true });
              done();
            });
          }),
      }),
    );
  });
}
