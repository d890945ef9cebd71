// The BUILT daemon (dist/cli/mcp-host.js serve) spawned over stdio and driven with raw
// newline-delimited JSON-RPC: requests, notifications with their arrival times, the daemon's
// stderr log lines with arrival times, and its VmRSS. Every daemon spawned here is killed on exit.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

export const DAEMON = fileURLToPath(new URL('../../../dist/cli/mcp-host.js', import.meta.url));
const live = new Set();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export class Daemon {
  /** `nodeArgs` go before the script (e.g. --expose-gc); whatever is passed is reported by the caller. */
  constructor(configPath, { nodeArgs = [] } = {}) {
    this.nodeArgs = nodeArgs;
    this.child = spawn(process.execPath, [...nodeArgs, DAEMON, 'serve', '--config', configPath], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, MCP_HOST_LOG_LEVEL: 'info' } });
    this.pid = this.child.pid;
    live.add(this.child);
    this.nextId = 1;
    this.pending = new Map();
    this.waiters = [];
    this.notifications = [];
    this.logs = [];
    this.badLines = [];
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        live.delete(this.child);
        this.exit = { code, signal };
        for (const settle of this.pending.values()) settle({ error: { code: -1, message: `daemon exited (${code ?? signal})` } });
        this.pending.clear();
        resolve(this.exit);
      });
    });
    this.child.stdin.on('error', () => {});
    this.child.stdout.setEncoding('utf8');
    this.child.stderr.setEncoding('utf8');
    this.splitLines(this.child.stdout, (line, at) => this.onMessage(line, at));
    this.splitLines(this.child.stderr, (line, at) => {
      // Log lines matter only around reloads: keep the last few thousand.
      this.logs.push({ at, line });
      if (this.logs.length > 5000) this.logs.splice(0, 1000);
    });
  }

  splitLines(stream, onLine) {
    let partial = '';
    stream.on('data', (chunk) => {
      const at = performance.now();
      const lines = (partial + chunk).split('\n');
      partial = lines.pop();
      for (const line of lines) if (line.trim()) onLine(line, at);
    });
  }

  onMessage(line, at) {
    let message;
    try {
      message = JSON.parse(line);
    } catch {
      if (this.badLines.length < 5) this.badLines.push(line.slice(0, 200));
      return;
    }
    if (message.id !== undefined && message.method === undefined) {
      const settle = this.pending.get(message.id);
      this.pending.delete(message.id);
      settle?.(message, at);
      return;
    }
    if (message.id !== undefined) {
      // A request from the daemon (roots, sampling): refuse it so nothing waits on the bench.
      this.write({ jsonrpc: '2.0', id: message.id, error: { code: -32601, message: 'not supported by the bench client' } });
      return;
    }
    const note = { method: message.method, at };
    this.notifications.push(note);
    if (this.notifications.length > 2000) this.notifications.splice(0, 1000);
    this.waiters = this.waiters.filter((w) => !(w.method === note.method && (w.resolve(note), true)));
  }

  write(message) {
    this.child.stdin.write(JSON.stringify(message) + '\n');
  }

  /** Resolves with the response message (never rejects: errors are in `.error`) and its arrival time. */
  request(method, params, timeoutMs = 30_000) {
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve({ message: { error: { code: -2, message: `${method}: no answer within ${timeoutMs} ms` } }, at: performance.now() });
      }, timeoutMs);
      this.pending.set(id, (message, at) => {
        clearTimeout(timer);
        resolve({ message, at });
      });
      this.write({ jsonrpc: '2.0', id, method, params });
    });
  }

  async initialize() {
    const { message } = await this.request('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'reload-bench', version: '1' } });
    if (message.error) {
      await this.exited.then(() => sleep(50)).catch(() => {});
      throw new Error(`initialize failed: ${JSON.stringify(message.error)}; stderr tail:\n${this.logs.slice(-10).map((l) => l.line).join('\n')}`);
    }
    this.write({ jsonrpc: '2.0', method: 'notifications/initialized' });
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
  async stop(ms = 5000) {
    if (this.exit) return this.exit;
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), ms);
    const exit = await this.exited;
    clearTimeout(timer);
    return exit;
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
