import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { Client, type ClientOptions } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { daemonEntry } from './paths.js';

export interface HttpHost {
  proc: ChildProcess;
  /** http://127.0.0.1:PORT */
  base: string;
  /** base + /mcp */
  url: string;
  port: number;
  stderr(): string;
  /** Resolves with the exit code (or signal) once the process is gone. */
  exited: Promise<number | string | null>;
  /** SIGTERM, then SIGKILL if still there after 6 s. */
  stop(): Promise<void>;
}

/**
 * Spawns the built daemon as `serve --http 127.0.0.1:0` (or `listen`) and waits for the line that names the
 * bound port. Rejects with the stderr if the process exits first.
 */
export function spawnHttpHost(options: { configPath: string; args?: string[]; env?: Record<string, string>; listen?: string; node?: string }): Promise<HttpHost> {
  const proc = spawn(options.node ?? process.execPath, [daemonEntry, 'serve', '--http', options.listen ?? '127.0.0.1:0', '--config', options.configPath, ...(options.args ?? [])], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  const exited = new Promise<number | string | null>((resolve) => proc.once('exit', (code, signal) => resolve(code ?? signal)));
  return new Promise((resolve, reject) => {
    proc.stderr!.on('data', (chunk) => {
      stderr += chunk;
      const match = /listening on http:\/\/([^\s/]+):(\d+)\/mcp/.exec(stderr);
      if (!match) return;
      const port = Number(match[2]);
      const base = `http://127.0.0.1:${port}`;
      resolve({
        proc,
        base,
        url: `${base}/mcp`,
        port,
        stderr: () => stderr,
        exited,
        stop: async () => {
          if (proc.exitCode !== null || proc.signalCode !== null) return;
          proc.kill('SIGTERM');
          const timer = setTimeout(() => proc.kill('SIGKILL'), 6000);
          await exited;
          clearTimeout(timer);
        },
      });
    });
    void exited.then((code) => reject(new Error(`daemon exited (${code}) before listening:\n${stderr}`)));
  });
}

/** An SDK Client over Streamable HTTP, optionally with a bearer token. */
export async function connectHttp(url: string, options: { token?: string; capabilities?: ClientOptions['capabilities'] } = {}): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: options.token ? { headers: { Authorization: `Bearer ${options.token}` } } : undefined,
  });
  const client = new Client({ name: 'mcp-host-http-test', version: '1.0.0' }, { capabilities: options.capabilities ?? {} });
  await client.connect(transport);
  return { client, transport };
}

/** The JSON-RPC initialize request body, for raw fetch tests. */
export const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
});

export const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

/** A POST through node:http, which (unlike fetch) lets a test set the Host header. */
export function rawPost(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; headers: import('node:http').IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
