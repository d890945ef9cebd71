import type { ServerResponse } from 'node:http';
import type { JSONRPCMessage, RequestId } from '@modelcontextprotocol/sdk/types.js';
import { messageBody } from '../json-cache.js';

/** The SDK's interval between SSE keep-alive comments (sseKeepAlive.js DEFAULT_SSE_KEEP_ALIVE_MS). */
export const KEEP_ALIVE_MS = 15_000;

/** The headers the SDK transport gives a POST's SSE stream. */
const SSE_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' };

function sseEvent(message: JSONRPCMessage): string | Buffer {
  const json = messageBody(message);
  if (typeof json === 'string') return `event: message\ndata: ${json}\n\n`;
  return Buffer.concat([SSE_DATA, json, SSE_END]);
}

const SSE_DATA = Buffer.from('event: message\ndata: ');
const SSE_END = Buffer.from('\n\n');

/** Exchanges still waiting for their response: one timer checks them all for keep-alive (not one timer per request). */
const waiting = new Set<FastExchange>();
let sweeper: NodeJS.Timeout | undefined;

function sweep(): void {
  const now = Date.now();
  for (const exchange of waiting) exchange.tick(now);
  if (waiting.size === 0) {
    clearInterval(sweeper);
    sweeper = undefined;
  }
}

/**
 * The HTTP answer to one request served by the fast path. The common case is one JSON body. Anything the handler
 * sends about the request before its response (progress, logging, elicitation or sampling requests) turns the answer
 * into an SSE stream on the fly, as the SDK transport would have answered: those events, then the response, then the
 * end. A request still unanswered after the SDK's keep-alive interval turns into a stream too, so proxies and clients
 * see the same keep-alive comments as on the SDK's streams.
 */
export class FastExchange {
  /** The response went out, or the exchange was ended without one. */
  finished = false;
  /** The client went away before the response. */
  gone = false;
  private streaming = false;
  /** When the client last heard from us (for keep-alive). */
  private last = Date.now();

  constructor(
    private readonly res: ServerResponse,
    /** The id the client gave the request (the transport may deliver it under another). */
    readonly clientId: RequestId,
    private readonly sessionId: string | undefined,
  ) {
    waiting.add(this);
    if (!sweeper) {
      sweeper = setInterval(sweep, KEEP_ALIVE_MS / 3);
      sweeper.unref();
    }
  }

  /** A message about the request before its response. False when nobody is there to receive it. */
  event(message: JSONRPCMessage): boolean {
    if (this.res.destroyed) this.disconnected();
    if (this.finished || this.gone) return false;
    this.stream();
    this.res.write(sseEvent(message));
    this.last = Date.now();
    return true;
  }

  /** The request's response (its id already the client's): the end of the exchange. */
  answer(message: JSONRPCMessage): void {
    if (!this.finish()) return;
    if (this.streaming) {
      this.res.end(sseEvent(message));
      return;
    }
    const body = messageBody(message);
    const headers: Record<string, string | number> = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
    if (this.sessionId !== undefined) headers['mcp-session-id'] = this.sessionId;
    this.res.writeHead(200, headers);
    this.res.end(body);
  }

  /** No response will come (the client cancelled): end the answer as a stream without one. */
  abandon(): void {
    if (!this.finish()) return;
    this.stream();
    this.res.end();
  }

  /** The connection closed before the response. */
  disconnected(): void {
    if (this.finished) return;
    this.gone = true;
    waiting.delete(this);
  }

  /** Keep-alive: a comment when the client has heard nothing for the interval (the answer becomes a stream). */
  tick(now: number): void {
    if (now - this.last < KEEP_ALIVE_MS || this.res.destroyed) return;
    this.stream();
    this.res.write(': keepalive\n\n');
    this.last = now;
  }

  /** True when there is still someone to answer. */
  private finish(): boolean {
    if (this.finished) return false;
    this.finished = true;
    waiting.delete(this);
    // The socket can be gone before its 'close' event has run.
    return !this.gone && !this.res.destroyed;
  }

  private stream(): void {
    if (this.streaming) return;
    this.streaming = true;
    const headers: Record<string, string> = { ...SSE_HEADERS };
    if (this.sessionId !== undefined) headers['mcp-session-id'] = this.sessionId;
    this.res.writeHead(200, headers);
  }
}
