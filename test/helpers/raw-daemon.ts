import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { daemonEntry } from './paths.js';

export interface RawExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Date.now() when the process exited. */
  at: number;
}

/**
 * The built daemon spawned with child_process and spoken to in raw JSON-RPC lines, for tests about
 * the wire itself (what reaches stdout) and about the process (signals, stdin closing, exit).
 */
export interface RawDaemon {
  child: ChildProcessWithoutNullStreams;
  pid: number;
  /** Every stdout line so far, exactly as written (without the newline). */
  stdoutLines(): string[];
  /** Bytes after the last stdout newline (a partial line; must be empty once the daemon is idle). */
  stdoutTail(): string;
  stderr(): string;
  /** Sends a request and resolves with the matching response message (result or error). */
  request(method: string, params?: object): Promise<{ result?: any; error?: { code: number; message: string } }>;
  notify(method: string, params?: object): void;
  /** Resolves when a notification of this method arrives (or already arrived). */
  notification(method: string): Promise<any>;
  /** initialize + notifications/initialized; resolves with the initialize result. */
  initialize(): Promise<any>;
  exited: Promise<RawExit>;
  /** Kills the process if it is still running (test cleanup). */
  kill(): void;
}

export function spawnRawDaemon(options: {
  args?: string[];
  configPath?: string;
  node?: string;
  cwd?: string;
  env?: Record<string, string>;
}): RawDaemon {
  const args = options.args ?? ['serve', ...(options.configPath ? ['--config', options.configPath] : [])];
  const child = spawn(options.node ?? process.execPath, [daemonEntry, ...args], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const lines: string[] = [];
  const waiting = new Map<number, (message: any) => void>();
  const notifications: any[] = [];
  const notificationWaiters: { method: string; resolve: (m: any) => void }[] = [];
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => (stderr += d));
  child.stdout.on('data', (d: string) => {
    stdout += d;
    let newline: number;
    while ((newline = stdout.indexOf('\n')) >= 0) {
      const line = stdout.slice(0, newline);
      stdout = stdout.slice(newline + 1);
      lines.push(line);
      let message: any;
      try {
        message = JSON.parse(line);
      } catch {
        continue; // recorded in lines; the tests assert on them
      }
      if (message && message.id !== undefined && waiting.has(message.id)) {
        waiting.get(message.id)!(message);
        waiting.delete(message.id);
      } else if (message && typeof message.method === 'string' && message.id === undefined) {
        notifications.push(message);
        for (const w of notificationWaiters.filter((x) => x.method === message.method)) {
          notificationWaiters.splice(notificationWaiters.indexOf(w), 1);
          w.resolve(message);
        }
      }
    }
  });
  const exited = new Promise<RawExit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })));
  let nextId = 1;
  const send = (message: object) => child.stdin.write(JSON.stringify({ jsonrpc: '2.0', ...message }) + '\n');
  const request: RawDaemon['request'] = (method, params) => {
    const id = nextId++;
    const answer = new Promise<any>((resolve, reject) => {
      waiting.set(id, resolve);
      void exited.then((e) => reject(new Error(`daemon exited (${e.code ?? e.signal}) before answering ${method}; stderr:\n${stderr}`)));
    });
    send({ id, method, ...(params ? { params } : {}) });
    return answer;
  };
  return {
    child,
    pid: child.pid!,
    stdoutLines: () => [...lines],
    stdoutTail: () => stdout,
    stderr: () => stderr,
    request,
    notify: (method, params) => void send({ method, ...(params ? { params } : {}) }),
    notification: (method) => {
      const seen = notifications.find((n) => n.method === method);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => notificationWaiters.push({ method, resolve }));
    },
    initialize: async () => {
      const answer = await request('initialize', {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 'raw-test-client', version: '1.0.0' },
      });
      if (answer.error) throw new Error(`initialize failed: ${answer.error.message}`);
      send({ method: 'notifications/initialized' });
      return answer.result;
    },
    exited,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
