import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server as NodeServer, type ServerResponse } from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { HttpConfig } from '../config/config-types.js';
import type { HostLogger } from '../logging/create-logger.js';
import { bearerCheck } from './http/auth.js';
import { plainPost } from './http/fast-post.js';
import { originCheck } from './http/origin-check.js';
import { RateLimiter } from './http/rate-limit.js';
import { BodyTooLarge, readBody } from './http/read-body.js';
import { replyError, replyJson, RPC } from './http/reply.js';
import { requestEntry } from './request-entry.js';
import { SessionTransport } from './http/session-transport.js';
import { STATELESS_FAST_METHODS } from './http/stateless-methods.js';
import type { McpFrontend } from './mcp-frontend.js';
import type { SessionHub } from './session-hub.js';

export interface HttpServerOptions {
  host: string;
  port: number;
  stateless: boolean;
  token?: string;
  settings: HttpConfig;
  /** A frontend over the shared registry, its readiness and settings applied. */
  createFrontend(): McpFrontend;
  hub: SessionHub;
  /** Config loaded and plugins settled (GET /readyz). */
  ready(): boolean;
  logger: HostLogger;
}

interface Session {
  transport: StreamableHTTPServerTransport;
  /** What the frontend is connected to: the SDK transport plus the fast path. */
  mux: SessionTransport;
  frontend: McpFrontend;
  lastSeen: number;
  /** Requests (and SSE streams) still open: a session with one is never idle. */
  open: number;
}

const MCP_PATH = '/mcp';

/**
 * Streamable HTTP at /mcp (stateful sessions, or stateless), plus /healthz and /readyz. Every refusal is an HTTP
 * status with a JSON-RPC error body; nothing a client sends can throw out of the request handler.
 *
 * The common POST (one plain request or notification, see plainPost) takes the fast path: straight to the
 * frontend through its SessionTransport, answered as JSON (or SSE when the handler streams). Everything else goes
 * through the SDK's StreamableHTTPServerTransport unchanged. Stateless, the fast path's requests share one
 * long-lived frontend (see STATELESS_FAST_METHODS); the rest get a throwaway frontend and transport each.
 */
export class HttpServer {
  readonly sessions = new Map<string, Session>();
  private readonly server: NodeServer;
  private readonly authorized: (req: IncomingMessage) => boolean;
  private readonly checkOrigin: ReturnType<typeof originCheck>;
  private readonly limiter: RateLimiter;
  private readonly sweeper: NodeJS.Timeout;
  private closing = false;
  /** Stateless: the one frontend the fast path serves every client with. */
  private shared?: { frontend: McpFrontend; mux: SessionTransport };

  constructor(private readonly options: HttpServerOptions) {
    const { settings } = options;
    this.authorized = bearerCheck(options.token);
    this.checkOrigin = originCheck({ bindHost: options.host, allowedHosts: settings.allowedHosts, allowedOrigins: settings.allowedOrigins });
    this.limiter = new RateLimiter(settings.rateLimit.windowMs, settings.rateLimit.max);
    this.server = createServer((req, res) => void this.handle(req, res));
    // Clients keep connections open between calls; the default 5 s keep-alive makes them reconnect needlessly.
    this.server.keepAliveTimeout = 65_000;
    this.sweeper = setInterval(() => this.closeIdle(), Math.min(60_000, Math.max(250, settings.sessionIdleMs / 4)));
    this.sweeper.unref();
  }

  /** Listens; resolves with the bound port (0 picks a free one). */
  async listen(): Promise<number> {
    if (this.options.stateless) {
      const shared = { frontend: this.options.createFrontend(), mux: new SessionTransport() };
      await shared.frontend.connect(shared.mux);
      shared.mux.entry = requestEntry(shared.frontend.server);
      this.shared = shared;
    }
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off('error', reject);
        const address = this.server.address();
        resolve(typeof address === 'object' && address ? address.port : this.options.port);
      });
    });
  }

  /** Stops accepting, closes every session (ending their streams) and the connections left. */
  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.sweeper);
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    await Promise.allSettled([...this.sessions.values()].map((session) => session.transport.close()));
    if (this.shared) {
      await this.shared.mux.close();
      this.shared.frontend.dispose();
    }
    this.server.closeIdleConnections();
    setTimeout(() => this.server.closeAllConnections(), 500).unref();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const path = (req.url ?? '/').split('?')[0];
      if (path === '/healthz' || path === '/readyz') return this.health(req, res, path);
      if (path !== MCP_PATH) return replyError(res, 404, RPC.invalidRequest, `Not found: the MCP endpoint is ${MCP_PATH}`);
      if (this.closing) return replyError(res, 503, RPC.serverError, 'Server is shutting down', { connection: 'close' });
      const refused = this.checkOrigin(req);
      if (refused === 'host') return replyError(res, 403, RPC.serverError, 'Forbidden: Host header not allowed');
      if (refused === 'origin') return replyError(res, 403, RPC.serverError, 'Forbidden: Origin not allowed');
      if (!this.authorized(req)) {
        return replyError(res, 401, RPC.serverError, 'Unauthorized: a valid bearer token is required', { 'www-authenticate': 'Bearer realm="mcp-host"' });
      }
      const wait = this.limiter.take(req.socket.remoteAddress ?? 'unknown');
      if (wait > 0) return replyError(res, 429, RPC.serverError, 'Too many requests', { 'retry-after': String(wait) });
      let body: unknown;
      if (req.method === 'POST') {
        let raw: Buffer;
        try {
          raw = await readBody(req, this.options.settings.maxBodyBytes);
        } catch (error) {
          if (error instanceof BodyTooLarge) {
            return replyError(res, 413, RPC.invalidRequest, `Request body larger than ${this.options.settings.maxBodyBytes} bytes`, { connection: 'close' });
          }
          throw error;
        }
        try {
          body = JSON.parse(raw.toString('utf8'));
        } catch {
          return replyError(res, 400, RPC.parseError, 'Parse error: the body is not JSON');
        }
      }
      if (this.options.stateless) return await this.stateless(req, res, body);
      return await this.stateful(req, res, body);
    } catch (error) {
      this.options.logger.error(`http: ${req.method} ${req.url} failed: ${(error as Error)?.stack ?? error}`);
      replyError(res, 500, RPC.internal, 'Internal error');
    }
  }

  private health(req: IncomingMessage, res: ServerResponse, path: string): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') return replyError(res, 405, RPC.invalidRequest, 'Method not allowed', { allow: 'GET, HEAD' });
    if (path === '/healthz') return replyJson(res, 200, { status: 'ok' });
    const ready = this.options.ready() && !this.closing;
    replyJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'starting' });
  }

  private async stateful(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
    const header = req.headers['mcp-session-id'];
    const id = Array.isArray(header) ? header[0] : header;
    if (id !== undefined) {
      const session = this.sessions.get(id);
      if (!session) return replyError(res, 404, RPC.serverError, 'Session not found');
      if (req.method === 'POST' && this.fast(session.mux, req, res, body, session)) return;
      return this.forward(session, req, res, body);
    }
    if (req.method !== 'POST') {
      if (req.method === 'GET' || req.method === 'DELETE') return replyError(res, 400, RPC.serverError, 'Bad Request: Mcp-Session-Id header is required');
      return replyError(res, 405, RPC.serverError, 'Method not allowed', { allow: 'GET, POST, DELETE' });
    }
    const initializes = Array.isArray(body) ? body.some((m) => isInitializeRequest(m)) : isInitializeRequest(body);
    if (!initializes) return replyError(res, 400, RPC.serverError, 'Bad Request: without an Mcp-Session-Id header the request must be a valid initialize');
    await this.open(req, res, body);
  }

  /** A new session: its own frontend and transport, over the shared registry; it joins the hub once initialized. */
  private async open(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
    const frontend = this.options.createFrontend();
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (sessionId) => {
        this.sessions.set(sessionId, session);
        this.options.hub.add(frontend);
      },
    });
    const session: Session = { frontend, transport, mux: new SessionTransport(transport), lastSeen: Date.now(), open: 0 };
    frontend.server.onclose = () => {
      const sessionId = session.transport.sessionId;
      if (sessionId) this.sessions.delete(sessionId);
      this.options.hub.remove(frontend);
      frontend.dispose();
    };
    await frontend.connect(session.mux);
    session.mux.entry = requestEntry(frontend.server);
    await this.forward(session, req, res, body);
    // An initialize the transport refused leaves a session that nobody can address: drop it.
    if (!session.transport.sessionId || !this.sessions.has(session.transport.sessionId)) await session.transport.close();
  }

  private async forward(session: Session, req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
    res.on('close', this.hold(session));
    await session.transport.handleRequest(req, res, body);
  }

  /** A request (or stream) open on the session keeps it from being idle until the returned release runs (its end). */
  private hold(session: Session): () => void {
    session.open++;
    session.lastSeen = Date.now();
    return () => {
      session.open--;
      session.lastSeen = Date.now();
    };
  }

  /**
   * The fast path: a plain POST goes straight to the frontend through its SessionTransport. False when the request
   * is not plain (or the transport cannot take it): the SDK transport then answers it as it always did.
   */
  private fast(mux: SessionTransport, req: IncomingMessage, res: ServerResponse, body: unknown, session?: Session): boolean {
    const plain = plainPost(req, body);
    if (!plain) return false;
    if (plain.notification) {
      // Stateless notifications reach no client state: the throwaway frontend keeps answering them.
      if (!session) return false;
      res.on('close', this.hold(session));
      mux.notification(plain.notification, req, res);
      return true;
    }
    if (!session && !STATELESS_FAST_METHODS.has(plain.request.method)) return false;
    const release = session && this.hold(session);
    if (mux.request(plain.request, req, res, release)) return true;
    release?.();
    return false;
  }

  /**
   * Stateless: the fast path on the shared frontend, else one frontend and transport per request, gone after the
   * response. Either way any replica can answer any request.
   */
  private async stateless(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
    if (req.method !== 'POST') {
      return replyError(res, 405, RPC.serverError, 'Method not allowed: stateless mode has no sessions or server streams', { allow: 'POST' });
    }
    if (this.shared && this.fast(this.shared.mux, req, res, body)) return;
    const frontend = this.options.createFrontend();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.once('close', () => {
      void transport.close().catch(() => {});
      frontend.dispose();
    });
    await frontend.connect(transport);
    await transport.handleRequest(req, res, body);
  }

  private closeIdle(): void {
    const now = Date.now();
    for (const [id, session] of this.sessions) {
      if (session.open > 0 || now - session.lastSeen < this.options.settings.sessionIdleMs) continue;
      this.options.logger.info(`http: closing idle session ${id}`);
      void session.transport.close().catch(() => {});
    }
  }
}
