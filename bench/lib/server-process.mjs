// One MCP server under test: spawned over stdio and driven with raw newline-delimited JSON-RPC,
// so the client's cost is small and the same for every server. Every process spawned here is
// tracked and killed at the end, whatever happens.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { processCpuMicros } from './proc-cpu.mjs';

const live = new Set();
process.on('exit', () => {
  for (const server of live) server.child.kill('SIGKILL');
});

export const PROTOCOL_VERSION = '2025-06-18';

export class ServerProcess {
  /** `args` are node's arguments (script first); `nodeArgs` go before them (e.g. --cpu-prof). */
  constructor(label, args, { nodeArgs = [], env = process.env, cwd } = {}) {
    this.label = label;
    this.nextId = 1;
    this.pending = new Map();
    this.badLines = [];
    this.stderrTail = '';
    this.spawnedAt = performance.now();
    this.child = spawn(process.execPath, [...nodeArgs, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env, cwd });
    this.pid = this.child.pid;
    live.add(this);
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        live.delete(this);
        this.exit = { code, signal };
        const error = new Error(`${label} exited (code ${code}, signal ${signal}) with requests pending; stderr tail:\n${this.stderrTail}`);
        for (const callback of this.pending.values()) callback(undefined, performance.now(), error);
        this.pending.clear();
        resolve(this.exit);
      });
    });
    this.child.stdin.on('error', () => {}); // EPIPE when the server dies: reported through `exited`.
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (chunk) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-8192);
    });
    this.child.stdout.setEncoding('utf8');
    this.partial = [];
    this.child.stdout.on('data', (chunk) => this.onData(chunk));
  }

  /** Splits stdout into lines without rescanning a growing buffer (tools/list answers are ~500 KB). */
  onData(chunk) {
    let start = 0;
    let newline;
    while ((newline = chunk.indexOf('\n', start)) >= 0) {
      const at = performance.now();
      let line = chunk.slice(start, newline);
      if (this.partial.length > 0) {
        this.partial.push(line);
        line = this.partial.join('');
        this.partial = [];
      }
      start = newline + 1;
      if (line.trim() !== '') this.onLine(line, at);
    }
    if (start < chunk.length) this.partial.push(chunk.slice(start));
  }

  onLine(line, at) {
    let message;
    try {
      message = JSON.parse(line);
    } catch {
      if (this.badLines.length < 5) this.badLines.push(line.slice(0, 200));
      return;
    }
    if (message.method !== undefined) {
      // A request from the server (roots, sampling): refuse it so nothing waits on us.
      if (message.id !== undefined) this.write(JSON.stringify({ jsonrpc: '2.0', id: message.id, error: { code: -32601, message: 'not supported by the bench client' } }) + '\n');
      else this.onNotification(message, at);
      return;
    }
    const callback = this.pending.get(message.id);
    if (!callback) return;
    this.pending.delete(message.id);
    callback(message, at);
  }

  /** Notifications from the server; ignored here, recorded by subclasses that need them. */
  onNotification(_message, _at) {}

  write(line) {
    this.child.stdin.write(line);
  }

  /** Hot path: `line` must already carry `id`; `callback(message, receivedAt, error?)`. */
  sendRaw(id, line, callback) {
    this.pending.set(id, callback);
    this.write(line);
  }

  /** One request; resolves `{ message, at }` (`at`: when its line arrived) or rejects on timeout, exit or a JSON-RPC error. */
  request(method, params, timeoutMs = 30_000) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.label}: ${method} not answered within ${timeoutMs} ms; stderr tail:\n${this.stderrTail}`));
      }, timeoutMs);
      this.sendRaw(id, JSON.stringify({ jsonrpc: '2.0', id, method, params }) + '\n', (message, at, error) => {
        clearTimeout(timer);
        if (error) reject(error);
        else if (message.error) reject(new Error(`${this.label}: ${method} failed: ${JSON.stringify(message.error)}`));
        else resolve({ message, at });
      });
    });
  }

  notify(method, params) {
    this.write(JSON.stringify(params === undefined ? { jsonrpc: '2.0', method } : { jsonrpc: '2.0', method, params }) + '\n');
  }

  /** initialize + notifications/initialized, as a client does first. */
  async handshake() {
    const init = await this.request('initialize', { protocolVersion: PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'mcp-host-bench', version: '1.0.0' } });
    this.notify('notifications/initialized');
    return init;
  }

  cpuMicros() {
    return processCpuMicros(this.pid);
  }

  /** Closes stdin (a clean shutdown, which also lets --cpu-prof write its profile); SIGKILL after `graceMs`. */
  async close(graceMs = 3000) {
    if (this.exit) return this.exit;
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    const exit = await this.exited;
    clearTimeout(timer);
    return exit;
  }
}

/** Kills whatever is still running (called at the end of the bench and on errors). */
export async function killAll() {
  const all = [...live];
  for (const server of all) server.child.kill('SIGKILL');
  await Promise.all(all.map((server) => server.exited));
}
