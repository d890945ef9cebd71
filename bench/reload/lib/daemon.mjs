// The BUILT daemon (dist/cli/mcp-host.js serve) driven over stdio with raw JSON-RPC by the main bench's
// ServerProcess, plus what the reload bench needs on top: notifications and stderr log lines with their
// arrival times, requests that resolve with their error instead of rejecting, and VmRSS.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { ServerProcess } from '../../lib/server-process.mjs';

export const DAEMON = fileURLToPath(new URL('../../../dist/cli/mcp-host.js', import.meta.url));

export class Daemon extends ServerProcess {
  /** `nodeArgs` go before the script (e.g. --expose-gc); whatever is passed is reported by the caller. */
  constructor(configPath, { nodeArgs = [] } = {}) {
    super('mcp-host', [DAEMON, 'serve', '--config', configPath], { nodeArgs, env: { ...process.env, MCP_HOST_LOG_LEVEL: 'info' } });
    this.waiters = [];
    this.notifications = [];
    this.logs = [];
    let partial = '';
    this.child.stderr.on('data', (chunk) => {
      const at = performance.now();
      const lines = (partial + chunk).split('\n');
      partial = lines.pop();
      // Log lines matter only around reloads: keep the last few thousand.
      for (const line of lines) if (line.trim()) this.logs.push({ at, line });
      if (this.logs.length > 5000) this.logs.splice(0, 1000);
    });
  }

  onNotification(message, at) {
    const note = { method: message.method, at };
    this.notifications.push(note);
    if (this.notifications.length > 2000) this.notifications.splice(0, 1000);
    this.waiters = this.waiters.filter((w) => !(w.method === note.method && (w.resolve(note), true)));
  }

  /** Resolves with the response message (never rejects: errors are in `.error`) and its arrival time. */
  request(method, params, timeoutMs = 30_000) {
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve({ message: { error: { code: -2, message: `${method}: no answer within ${timeoutMs} ms` } }, at: performance.now() });
      }, timeoutMs);
      this.sendRaw(id, JSON.stringify({ jsonrpc: '2.0', id, method, params }) + '\n', (message, at, error) => {
        clearTimeout(timer);
        resolve({ message: error ? { error: { code: -1, message: error.message } } : message, at });
      });
    });
  }

  async initialize() {
    const { message } = await this.request('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'reload-bench', version: '1' } });
    if (message.error) {
      await this.exited.then(() => sleep(50)).catch(() => {});
      throw new Error(`initialize failed: ${JSON.stringify(message.error)}; stderr tail:\n${this.logs.slice(-10).map((l) => l.line).join('\n')}`);
    }
    this.notify('notifications/initialized');
    return message.result;
  }

  /** Lists tools (a client must have listed a kind to be told it changed). */
  async listTools() {
    const { message } = await this.request('tools/list', {});
    if (message.error) throw new Error(`tools/list failed: ${JSON.stringify(message.error)}`);
    return message.result.tools.map((t) => t.name);
  }

  /** Calls a tool; returns { ok, result, error, at }. ok is false for a JSON-RPC error or an isError result. */
  async callTool(name, args, timeoutMs) {
    const { message, at } = await this.request('tools/call', { name, arguments: args }, timeoutMs);
    const ok = !message.error && !message.result?.isError;
    return { ok, result: message.result, error: message.error ?? (message.result?.isError ? message.result.content?.[0]?.text : undefined), at };
  }

  /** The next `method` notification, or undefined after `timeoutMs`. */
  nextNotification(method, timeoutMs) {
    return new Promise((resolve) => {
      const waiter = { method, resolve: (note) => (clearTimeout(timer), resolve(note)) };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(undefined);
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** VmRSS of the daemon process in MB (Linux /proc). */
  rssMB() {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1]);
    return kb / 1024;
  }

  /** Closes stdin (the daemon's normal shutdown), then kills it if it is still there after `ms`. */
  stop(ms = 5000) {
    return this.close(ms);
  }
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts a daemon on `configPath`, handshakes, lists tools and waits (bounded) until `tool` is there and files are watched. */
export async function startDaemon(configPath, tool, options) {
  const daemon = new Daemon(configPath, options);
  await daemon.initialize();
  const deadline = performance.now() + 15_000;
  for (;;) {
    const tools = await daemon.listTools();
    // Edits made before the watcher's initial scan is done are not seen: wait for its log line too.
    const watching = daemon.logs.some((l) => l.line.includes('watching plugins.json'));
    if (tools.includes(tool) && watching) return daemon;
    if (performance.now() > deadline || daemon.exit) {
      const tail = daemon.logs.slice(-10).map((l) => l.line).join('\n');
      await daemon.stop();
      throw new Error(`daemon never served ${tool} with watching on (tools: ${tools.join(', ')}); stderr tail:\n${tail}`);
    }
    await sleep(100);
  }
}
