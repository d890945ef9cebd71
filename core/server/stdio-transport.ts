import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, JSONRPCRequest } from '@modelcontextprotocol/sdk/types.js';
import { commonShape } from './common-shape.js';
import { messageJson } from './json-cache.js';
import type { RequestEntry } from './request-entry.js';
import type { ProtocolOut } from './stdout-guard.js';

/** How many more turns of the event loop an answer may wait for others (see flush). */
const MAX_DEFERRED_TURNS = 2;

/** Lines longer than this are refused (clients cap messages near 10 MiB; this bounds our memory). */
const MAX_LINE_BYTES = 64 * 1024 * 1024;

/**
 * Newline-delimited JSON-RPC over stdin/stdout. Unlike the SDK's transport it answers malformed
 * input with JSON-RPC errors instead of dropping it, reports stdin's end as a close (so the
 * daemon exits when the client goes away), and writes only through the stdout guard.
 */
export class StdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  /** Where plain requests enter the Server once it is connected (requestEntry); else `onmessage`. */
  entry?: RequestEntry;
  private buffer = '';
  private closed = false;
  /** Messages sent in this turn of the event loop, written together at its end (see send). */
  private pending: (string | Uint8Array)[] = [];
  /** Some of `pending` is bytes. */
  private pendingBytes = false;
  private flushing = false;
  private deferred = 0;
  /** Requests received and not answered yet. */
  private unanswered = 0;
  /** Resolves once stdout drained, while it is full. */
  private full?: Promise<void>;

  constructor(
    private readonly out: ProtocolOut,
    private readonly input: NodeJS.ReadableStream = process.stdin,
  ) {}

  async start(): Promise<void> {
    this.input.setEncoding('utf8');
    this.input.on('data', this.onData);
    this.input.on('end', this.onEnd);
    this.input.on('close', this.onEnd);
    this.input.on('error', this.onEnd);
  }

  /**
   * Messages are written once per turn of the event loop: with many calls in flight, the answers to a burst of
   * requests go out in one write (one system call, one wake-up of the client) instead of one each.
   */
  async send(message: JSONRPCMessage): Promise<void> {
    if (this.closed) return;
    if ('id' in message && !('method' in message) && this.unanswered > 0) this.unanswered--;
    const json = messageJson(message);
    if (typeof json === 'string') this.pending.push(json, '\n');
    else {
      this.pending.push(...json, '\n');
      this.pendingBytes = true;
    }
    if (!this.flushing) {
      this.flushing = true;
      setImmediate(this.flush);
    }
    if (this.full) await this.full;
  }

  private readonly flush = () => {
    // While other requests are still unanswered, their answers may be a moment away: a turn or two more gathers
    // them into the same write (each turn is quick: the loop only polls for what is ready).
    if (this.unanswered > 0 && this.deferred < MAX_DEFERRED_TURNS && this.pending.length > 0) {
      this.deferred++;
      setImmediate(this.flush);
      return;
    }
    this.deferred = 0;
    this.flushing = false;
    this.writePending();
  };

  /** One write: text joined, or with bytes among it (see messageJson) the parts as they are, gathered by the stream. */
  private writePending(): void {
    if (this.pending.length === 0) return;
    const parts = this.pending;
    this.pending = [];
    const ok = this.pendingBytes ? this.out.writeAll(parts) : this.out.write(parts.join(''));
    this.pendingBytes = false;
    if (!ok && !this.full) {
      this.full = new Promise<void>((resolve) =>
        this.out.onceDrain(() => {
          this.full = undefined;
          resolve();
        }),
      );
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.writePending();
    this.closed = true;
    this.input.off('data', this.onData);
    this.input.off('end', this.onEnd);
    this.input.off('close', this.onEnd);
    this.input.off('error', this.onEnd);
    this.onclose?.();
  }

  private readonly onEnd = () => void this.close();

  private readonly onData = (chunk: string) => {
    this.buffer += chunk;
    let newline: number;
    while ((newline = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, newline);
      this.buffer = this.buffer.slice(newline + 1);
      this.handleLine(line);
    }
    if (this.buffer.length > MAX_LINE_BYTES) {
      this.buffer = '';
      this.reply(null, -32700, `Parse error: message longer than ${MAX_LINE_BYTES} bytes`);
    }
  };

  private handleLine(raw: string): void {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return;
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      this.reply(null, -32700, 'Parse error: not valid JSON');
      return;
    }
    if (!isMessage(message)) {
      const id = (message as { id?: unknown } | null)?.id;
      this.reply(typeof id === 'string' || typeof id === 'number' ? id : null, -32600, 'Invalid Request: expected a JSON-RPC 2.0 message object');
      return;
    }
    if ('id' in message && 'method' in message) this.unanswered++;
    // A cancelled request gets no answer (the SDK drops it): count it answered.
    else if ((message as { method?: unknown }).method === 'notifications/cancelled' && this.unanswered > 0) this.unanswered--;
    const invalid = requestProblem(message);
    if (invalid) {
      this.reply((message as { id: string | number }).id, invalid.code, invalid.message);
      return;
    }
    try {
      // A plain request may skip the SDK's classification (three zod parses): see request-entry.ts.
      if (this.entry && 'id' in message && 'method' in message && commonShape(message as unknown as Record<string, unknown>)) this.entry(message as JSONRPCRequest);
      else this.onmessage?.(message);
    } catch (error) {
      this.onerror?.(error as Error);
    }
  }

  private reply(id: string | number | null, code: number, message: string): void {
    void this.send({ jsonrpc: '2.0', id, error: { code, message } } as unknown as JSONRPCMessage);
  }
}

function isMessage(value: unknown): value is JSONRPCMessage {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const m = value as Record<string, unknown>;
  if (m.jsonrpc !== '2.0') return false;
  if ('method' in m) return typeof m.method === 'string' && (m.id === undefined || typeof m.id === 'string' || typeof m.id === 'number');
  return 'id' in m && ('result' in m || 'error' in m);
}

const REQUEST_KEYS = new Set(['jsonrpc', 'id', 'method', 'params']);

/**
 * A request the SDK would drop without an answer (it only answers what parses as a JSON-RPC request):
 * params that are not an object, or members JSON-RPC does not define. Notifications get no answer either way.
 */
function requestProblem(message: JSONRPCMessage): { code: number; message: string } | undefined {
  const m = message as Record<string, unknown>;
  if (!('method' in m) || m.id === undefined) return undefined;
  const params = m.params;
  if (params !== undefined && (typeof params !== 'object' || params === null || Array.isArray(params))) {
    return { code: -32602, message: 'Invalid params: params must be an object' };
  }
  const meta = (params as { _meta?: unknown } | undefined)?._meta;
  if (meta !== undefined && (typeof meta !== 'object' || meta === null || Array.isArray(meta))) {
    return { code: -32602, message: 'Invalid params: params._meta must be an object' };
  }
  const token = (meta as { progressToken?: unknown } | undefined)?.progressToken;
  if (token !== undefined && typeof token !== 'string' && !Number.isSafeInteger(token)) {
    return { code: -32602, message: 'Invalid params: params._meta.progressToken must be a string or an integer' };
  }
  for (const key in m) if (!REQUEST_KEYS.has(key)) return { code: -32600, message: `Invalid Request: unknown member "${key}"` };
  return undefined;
}
