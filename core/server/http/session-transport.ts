import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  ErrorCode,
  type IsomorphicHeaders,
  type JSONRPCMessage,
  type JSONRPCNotification,
  type JSONRPCRequest,
  type MessageExtraInfo,
  type RequestId,
  type RequestInfo,
} from '@modelcontextprotocol/sdk/types.js';
import { FastExchange } from './fast-exchange.js';
import type { RequestEntry } from '../request-entry.js';

/**
 * The transport a frontend's SDK Server is connected to over HTTP: the SDK's StreamableHTTPServerTransport for
 * everything unusual (initialize, GET streams, DELETE, batches, refusals), plus a fast path for the common POST
 * (one request or notification), which skips the SDK's Node→web Request conversion and per-request streams.
 *
 * Messages either side receives go to the Server alike. What the Server sends about a fast-path request (its
 * response, and progress, logs or client requests before it) goes to that request's HTTP answer; everything else
 * (other requests' messages, list_changed and resources/updated on the GET stream) to the SDK transport.
 *
 * Without an SDK transport (`--stateless`, one long-lived frontend for every client): request ids are replaced by
 * ids of our own while in flight (clients' ids collide), a client that disconnects cancels its request (as the
 * per-request transport's close did), and messages outside a request have nowhere to go.
 */
export class SessionTransport implements Transport {
  onmessage?: <T extends JSONRPCMessage>(message: T, extra?: MessageExtraInfo) => void;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  /** Where fast-path requests enter the Server, once it is connected (requestEntry); else `onmessage`. */
  entry?: RequestEntry;
  /** Fast-path requests in flight, by the id the Server knows them by. */
  private readonly exchanges = new Map<RequestId, FastExchange>();
  private nextId = 1;
  private ended = false;

  constructor(private readonly sdk?: StreamableHTTPServerTransport) {
    if (!sdk) return;
    sdk.onmessage = (message, extra) => this.receive(message, extra);
    sdk.onerror = (error) => this.onerror?.(error);
    sdk.onclose = () => this.end();
  }

  get sessionId(): string | undefined {
    return this.sdk?.sessionId;
  }

  /** Requests served by the fast path and not answered yet (tests, idle checks). */
  get inFlight(): number {
    return this.exchanges.size;
  }

  async start(): Promise<void> {
    await this.sdk?.start();
  }

  async close(): Promise<void> {
    if (this.sdk) await this.sdk.close();
    else this.end();
  }

  /**
   * Serves one plain request (see plainPost): the Server's answer becomes the HTTP answer; `closed` runs when the
   * HTTP exchange ends. False when this transport cannot take it (ended, or the id is already in flight here): the
   * caller then hands it to the SDK transport.
   */
  request(message: JSONRPCRequest, req: IncomingMessage, res: ServerResponse, closed?: () => void): boolean {
    if (this.ended) return false;
    const id = this.sdk ? message.id : this.nextId++;
    if (this.exchanges.has(id)) return false;
    const exchange = new FastExchange(res, message.id, this.sessionId);
    this.exchanges.set(id, exchange);
    res.on('close', () => {
      closed?.();
      this.disconnected(id, exchange);
    });
    const request = id === message.id ? message : { ...message, id };
    const extra = { requestInfo: new NodeRequestInfo(req) };
    if (this.entry) this.entry(request, extra);
    else this.receive(request, extra);
    return true;
  }

  /** A plain notification: delivered, then 202 (as the SDK does). */
  notification(message: JSONRPCNotification, req: IncomingMessage, res: ServerResponse): void {
    this.receive(message, { requestInfo: new NodeRequestInfo(req) });
    res.writeHead(202, { 'content-length': 0 }).end();
  }

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    const response = 'id' in message && !('method' in message);
    const id = response ? (message as { id: RequestId }).id : options?.relatedRequestId;
    const exchange = id === undefined ? undefined : this.exchanges.get(id);
    if (exchange) {
      if (response) {
        this.exchanges.delete(id!);
        exchange.answer(this.sdk ? message : { ...message, id: exchange.clientId } as JSONRPCMessage);
        return;
      }
      if (exchange.event(message)) return;
      // The client is gone: a request to it fails now rather than at its timeout; a notification is dropped.
      if ('id' in message) throw new Error(`No connection established for request ID: ${String(id)}`);
      return;
    }
    if (this.sdk) return this.sdk.send(message, options);
    // Stateless: nothing outside a request in flight can reach any client.
    if ('id' in message && 'method' in message) throw new Error('Stateless mode: no stream to send a server request on');
  }

  private receive(message: JSONRPCMessage, extra?: MessageExtraInfo): void {
    if ('method' in message && message.method === 'notifications/cancelled' && !('id' in message)) this.cancelled(message.params?.requestId);
    this.onmessage?.(message, extra);
  }

  /**
   * The client cancelled a fast-path request: its handler sends nothing more (the Protocol drops a cancelled
   * request's response), so its HTTP answer ends now as an empty stream instead of holding the connection. The entry
   * stays until the Protocol has seen the cancellation, so a send racing it is dropped rather than misrouted.
   */
  private cancelled(requestId: unknown): void {
    if (typeof requestId !== 'string' && typeof requestId !== 'number') return;
    const exchange = this.exchanges.get(requestId);
    if (!exchange || !this.sdk) return;
    exchange.abandon();
    setImmediate(() => {
      if (this.exchanges.get(requestId) === exchange) this.exchanges.delete(requestId);
    });
  }

  private disconnected(id: RequestId, exchange: FastExchange): void {
    if (exchange.finished) return;
    exchange.disconnected();
    if (this.sdk) return; // The SDK does not cancel on disconnect (the spec: disconnection is not cancellation); late sends are dropped.
    // Stateless: the per-request transport's close aborted the handler; with our own ids a cancellation is exact.
    this.exchanges.delete(id);
    this.receive({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason: 'The client disconnected' } });
  }

  /** The session ended (DELETE, idle, shutdown): requests still waiting get a JSON-RPC error instead of a silent end. */
  private end(): void {
    if (this.ended) return;
    this.ended = true;
    for (const exchange of this.exchanges.values()) {
      exchange.answer({ jsonrpc: '2.0', id: exchange.clientId, error: { code: ErrorCode.ConnectionClosed, message: 'Connection closed' } });
    }
    this.exchanges.clear();
    this.onclose?.();
  }
}

/** What the SDK passes handlers as `extra.requestInfo`: the headers (Node's, already lower-case) and the URL (built on demand). */
class NodeRequestInfo implements RequestInfo {
  readonly headers: IsomorphicHeaders;
  readonly #req: IncomingMessage;

  constructor(req: IncomingMessage) {
    this.#req = req;
    this.headers = req.headers;
  }

  get url(): URL {
    return new URL(this.#req.url ?? '/', `http://${this.#req.headers.host ?? 'localhost'}`);
  }
}
