import { ErrorCode, McpError, type CallToolResult, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { RESULT_JSON, type RequestExtra } from '../../core/api/index.js';
import { resultJson } from './result-json.js';

/** Ids (and progress tokens) of direct calls: strings, so they never meet the SDK client's numeric ids. */
const PREFIX = 'mcp-host:';

/** Below this, serializing a result again costs less than finding and keeping its bytes. */
const RAW_MIN_BYTES = 1024;

/** How the calls reach the server: the stdio transport's send. */
export interface Wire {
  send(message: JSONRPCMessage): Promise<void>;
}

interface Pending {
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: unknown) => void;
  readonly extra: RequestExtra;
  /** performance.now() after which the call is given up. */
  due: number;
  /** Stops listening for the host's cancellation. */
  unlisten?: () => void;
}

/**
 * tools/call over stdio without the SDK client's request machinery: the request is written as it is and its
 * answer taken off the transport before the SDK sees it (see StdioTreeTransport.direct). On a small call the
 * client's machinery (three zod parses of every answer, a timer and an abort listener per request) costs the
 * host more than the rest of the hop. Everything a forwarded call does still happens: progress (which restarts
 * the time limit), cancellation forwarded to the server as notifications/cancelled, the time limit
 * (`requestTimeoutMs`, cancelled on the server as well), and an error when the connection ends.
 * Errors are McpErrors like the SDK's, so ServerCalls words them the same way.
 */
export class DirectCalls {
  private readonly pending = new Map<string, Pending>();
  private next = 0;
  private sweeper?: NodeJS.Timeout;
  private ended?: string;

  /** Calls waiting for their answer. */
  get waiting(): number {
    return this.pending.size;
  }

  constructor(
    private readonly wire: Wire,
    private readonly timeoutMs: number,
  ) {}

  call(name: string, args: Record<string, unknown>, extra: RequestExtra): Promise<unknown> {
    if (this.ended) return Promise.reject(new McpError(ErrorCode.ConnectionClosed, this.ended));
    const id = `${PREFIX}${++this.next}`;
    return new Promise((resolve, reject) => {
      const pending: Pending = { resolve, reject, extra, due: performance.now() + this.timeoutMs };
      this.pending.set(id, pending);
      pending.unlisten = whenCancelled(extra, (reason) => this.cancel(id, reason, String((reason as Error)?.message ?? reason ?? 'cancelled')));
      this.watch();
      this.wire
        .send({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args, _meta: { progressToken: id } } })
        .catch((error) => this.settle(id)?.reject(error));
    });
  }

  /**
   * A message from the server (and the bytes of the line it came in): true when it belongs to a direct call (its
   * answer or progress), now handled. A result keeps the line's bytes of it, for the host to send on as they are.
   */
  take(message: Record<string, unknown>, line: Buffer): boolean {
    if (typeof message.method === 'string') {
      if (message.method !== 'notifications/progress') return false;
      const params = message.params as { progressToken?: unknown; progress?: unknown; total?: unknown; message?: unknown } | undefined;
      const token = params?.progressToken;
      if (typeof token !== 'string' || !token.startsWith(PREFIX)) return false;
      const pending = this.pending.get(token);
      if (pending && typeof params!.progress === 'number') {
        pending.due = performance.now() + this.timeoutMs;
        const total = typeof params!.total === 'number' ? params!.total : undefined;
        const text = typeof params!.message === 'string' ? params!.message : undefined;
        void pending.extra.sendProgress(params!.progress, total, text).catch(() => {});
      }
      return true;
    }
    const id = message.id;
    if (typeof id !== 'string' || !id.startsWith(PREFIX)) return false;
    // A late answer (the call timed out or was cancelled) is dropped here: the SDK would report an unknown id.
    const pending = this.settle(id);
    if (!pending) return true;
    const error = message.error as { code?: unknown; message?: unknown; data?: unknown } | undefined;
    if ('result' in message) {
      const result = message.result;
      const json = result !== null && typeof result === 'object' && line.length >= RAW_MIN_BYTES ? resultJson(line) : undefined;
      if (json !== undefined) Object.defineProperty(result, RESULT_JSON, { value: json });
      pending.resolve(result);
    }
    else if (error && typeof error === 'object') {
      pending.reject(new McpError(typeof error.code === 'number' ? error.code : ErrorCode.InternalError, String(error.message ?? 'error'), error.data));
    } else pending.reject(new McpError(ErrorCode.InvalidRequest, 'the server answered with neither a result nor an error'));
    return true;
  }

  /** The connection ended: every call still waiting fails, and later ones too. */
  end(reason: string): void {
    this.ended = reason;
    for (const id of [...this.pending.keys()]) this.settle(id)?.reject(new McpError(ErrorCode.ConnectionClosed, reason));
  }

  private cancel(id: string, error: unknown, reason: string): void {
    const pending = this.settle(id);
    if (!pending) return;
    void this.wire.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason } }).catch(() => {});
    pending.reject(error);
  }

  private settle(id: string): Pending | undefined {
    const pending = this.pending.get(id);
    if (!pending) return undefined;
    this.pending.delete(id);
    pending.unlisten?.();
    return pending;
  }

  /** One timer checks every waiting call (a timer per call costs more than the rest of its bookkeeping). */
  private watch(): void {
    if (this.sweeper) return;
    const every = Math.max(10, Math.min(1000, this.timeoutMs / 10));
    this.sweeper = setInterval(() => {
      const now = performance.now();
      for (const [id, pending] of this.pending) {
        if (now >= pending.due) {
          this.cancel(id, new McpError(ErrorCode.RequestTimeout, 'Request timed out', { timeout: this.timeoutMs }), `timed out after ${this.timeoutMs} ms (requestTimeoutMs)`);
        }
      }
      if (this.pending.size === 0) {
        clearInterval(this.sweeper);
        this.sweeper = undefined;
      }
    }, every);
    this.sweeper.unref();
  }
}

/** Calls `listener` once the host cancels the call: through `onCancel` where the host offers it (no AbortSignal made). */
function whenCancelled(extra: RequestExtra, listener: (reason: unknown) => void): () => void {
  if (extra.onCancel) return extra.onCancel(listener);
  const signal = extra.signal;
  if (signal.aborted) {
    queueMicrotask(() => listener(signal.reason));
    return () => {};
  }
  const onAbort = () => listener(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  return () => signal.removeEventListener('abort', onAbort);
}
