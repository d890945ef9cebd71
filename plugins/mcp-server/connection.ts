import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';
import type { PluginContext } from '../../core/api/index.js';
import { Catalog } from './catalog/catalog.js';
import { childEnv } from './child-env.js';
import { installClientHandlers } from './client-handlers.js';
import { describeTarget, type McpServerConfig } from './config.js';
import type { DirectCalls } from './direct-calls.js';
import { ServerCalls, type Link } from './server-calls.js';
import { StderrSink } from './stderr-sink.js';
import { StdioTreeTransport } from './stdio-tree-transport.js';

/** A connection that lasted this long resets the reconnect backoff. */
const STABLE_MS = 10_000;

/**
 * One instance's connection to its server: connects in the background (start never waits for a
 * slow or dead server), reconnects with exponential backoff when the server dies or cannot be
 * reached, and keeps the catalog in step. Calls go through `calls`.
 */
export class Connection implements Link {
  readonly calls: ServerCalls;
  readonly catalog: Catalog;
  readonly instanceId: string;
  readonly requestTimeoutMs: number;
  private readonly config: McpServerConfig;
  private readonly stderr: StderrSink;
  readonly serverLog: StderrSink;
  private client?: Client;
  private transport?: Transport;
  private stopped = false;
  /** Whether the current connection declared the roots capability. */
  private rootsDeclared = false;
  private attempt = 0;
  private retryTimer?: NodeJS.Timeout;
  private retryAt = 0;
  private connectedAt = 0;
  private lastError = 'not connected yet (starting)';
  private settleFirst!: () => void;
  /** Resolves once the first connection attempt listed the catalog or failed. */
  readonly firstAttempt = new Promise<void>((resolve) => (this.settleFirst = resolve));
  private readonly stopRootsListener?: () => void;

  constructor(private readonly ctx: PluginContext<McpServerConfig>) {
    this.config = ctx.config;
    this.instanceId = ctx.instanceId;
    this.requestTimeoutMs = ctx.config.requestTimeoutMs;
    // Over HTTP there is no stderr: the sink carries transport errors only.
    this.stderr = new StderrSink(ctx.logger, ctx.config.stderrMaxLineChars, ctx.config.stderrLinesPerMinute, ctx.config.url ? 'transport' : 'stderr');
    this.serverLog = new StderrSink(ctx.logger, ctx.config.stderrMaxLineChars, ctx.config.stderrLinesPerMinute, 'server log');
    this.calls = new ServerCalls(this);
    this.catalog = new Catalog(ctx, this.calls, () => this.client);
    if (ctx.config.forwardRoots) {
      this.stopRootsListener = ctx.client.onRootsChanged(() => {
        if (this.client && this.rootsDeclared) void this.client.sendRootsListChanged().catch(() => {});
      });
    }
  }

  current(): Client | undefined {
    return this.client;
  }

  direct(): DirectCalls | undefined {
    return this.client && this.transport instanceof StdioTreeTransport ? this.transport.direct : undefined;
  }

  whyNotConnected(): string {
    const retry = this.retryTimer ? `; next attempt in ${Math.max(0, Math.ceil((this.retryAt - Date.now()) / 1000))} s` : '';
    return `MCP server "${this.instanceId}" is not connected: ${this.lastError}${retry}`;
  }

  /** Over HTTP a dead server shows only as failing requests: those that cannot have reached it end the session. */
  requestFailed(client: Client, error: unknown): void {
    if (client !== this.client || !this.config.url) return;
    const unreachable = error instanceof TypeError || (error instanceof StreamableHTTPError && (error.code === 404 || (error.code ?? 0) >= 500));
    if (unreachable) {
      this.lastError = `the server stopped answering (${(error as Error).message})`;
      void this.drop(client);
    }
  }

  start(): void {
    void this.connect();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.stopRootsListener?.();
    const client = this.client;
    const transport = this.transport;
    this.client = undefined;
    this.transport = undefined;
    this.lastError = 'the instance stopped';
    if (transport instanceof StreamableHTTPClientTransport) await withDeadline(transport.terminateSession(), 1000).catch(() => {});
    await (client ? client.close() : transport?.close())?.catch(() => {});
    this.stderr.flush();
    this.serverLog.flush();
    this.settleFirst();
  }

  private async connect(): Promise<void> {
    this.retryTimer = undefined;
    if (this.stopped) return;
    const capabilities = this.capabilities();
    const client = new Client({ name: 'mcp-host', title: `mcp-host (instance ${this.instanceId})`, version: '1.0.0' }, { capabilities });
    installClientHandlers(client, capabilities, this.ctx, this);
    let transport: Transport;
    try {
      transport = this.newTransport();
    } catch (error) {
      return this.failed(`cannot connect to ${describeTarget(this.config)}: ${(error as Error).message}`);
    }
    this.transport = transport;
    client.onclose = () => this.lost(client, transport);
    // Protocol noise (a banner on stdout, an unknown notification, EPIPE to a server that already died): logged,
    // never fatal, and kept out of the server's own stderr tail that failure messages quote.
    client.onerror = (error) => this.ctx.logger.warn(`protocol: ${error?.message ?? String(error)}`);
    try {
      await client.connect(transport, { timeout: this.config.connectTimeoutMs });
    } catch (error) {
      if (this.transport === transport) this.transport = undefined;
      await transport.close().catch(() => {});
      return this.failed(this.connectError(error, transport));
    }
    if (this.stopped) {
      await client.close().catch(() => {});
      return;
    }
    this.client = client;
    this.rootsDeclared = Boolean(capabilities.roots);
    this.connectedAt = Date.now();
    this.lastError = 'not connected';
    this.ctx.status.clear();
    const server = client.getServerVersion();
    this.ctx.logger.info(`connected to ${describeTarget(this.config)}${server ? ` (${server.name} ${server.version})` : ''}`);
    await this.calls.renewSubscriptions(client);
    await this.catalog.syncAll();
    this.settleFirst();
  }

  /** The capabilities the host's own client has: a server is never told it may sample or elicit when the client cannot. */
  private capabilities(): ClientCapabilities {
    const host = this.ctx.client.capabilities() ?? {};
    const capabilities: ClientCapabilities = {};
    if (host.sampling) capabilities.sampling = host.sampling;
    if (host.elicitation) capabilities.elicitation = host.elicitation;
    if (this.config.forwardRoots && host.roots) capabilities.roots = { listChanged: true };
    return capabilities;
  }

  private newTransport(): Transport {
    if (this.config.url) {
      return new StreamableHTTPClientTransport(new URL(this.config.url), { requestInit: { headers: this.config.headers ?? {} } });
    }
    const cwd = this.ctx.resolvePath(this.config.cwd ?? '.');
    const env = childEnv(process.env, this.config.env, this.config.inheritEnv);
    return new StdioTreeTransport({ command: this.config.command!, args: this.config.args ?? [], env, cwd }, this.stderr, this.config.killGraceMs, this.requestTimeoutMs);
  }

  private connectError(error: unknown, transport: Transport): string {
    const message = (error as Error)?.message ?? String(error);
    if (!(transport instanceof StdioTreeTransport)) {
      const status = error instanceof StreamableHTTPError && error.code ? `HTTP ${error.code}: ` : '';
      return `cannot connect to ${describeTarget(this.config)}: ${status}${message}`;
    }
    const code = (error as NodeJS.ErrnoException)?.code;
    if (code === 'ENOENT') return `cannot start "${this.config.command}": not found (PATH=${childEnv(process.env, this.config.env, this.config.inheritEnv).PATH ?? ''})`;
    const exit = transport.exit ? `exited with ${transport.exit}` : message;
    const tail = this.stderr.tail();
    return `${describeTarget(this.config)} ${exit} before answering initialize${tail ? `; last stderr: ${tail.slice(-500)}` : ''}`;
  }

  private failed(reason: string): void {
    if (this.stopped) return;
    this.lastError = reason;
    this.ctx.logger.warn(`not connected: ${reason}`);
    this.settleFirst();
    this.scheduleRetry();
  }

  /** The connection ended (the server exited, or the transport closed). */
  private lost(client: Client, transport: Transport): void {
    if (this.stopped || client !== this.client) return;
    this.client = undefined;
    if (this.transport === transport) this.transport = undefined;
    if (Date.now() - this.connectedAt >= STABLE_MS) this.attempt = 0;
    if (transport instanceof StdioTreeTransport) {
      const tail = this.stderr.tail();
      this.lastError = `the server exited (${transport.exit ?? 'pipes closed'})${tail ? `; last stderr: ${tail.slice(-300)}` : ''}`;
    } else {
      this.lastError = 'the connection closed';
    }
    this.ctx.logger.warn(`connection lost: ${this.lastError}`);
    this.scheduleRetry();
  }

  private async drop(client: Client): Promise<void> {
    if (client !== this.client) return;
    this.client = undefined;
    this.transport = undefined;
    this.ctx.logger.warn(`connection lost: ${this.lastError}`);
    await client.close().catch(() => {});
    if (Date.now() - this.connectedAt >= STABLE_MS) this.attempt = 0;
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.stopped || this.retryTimer) return;
    const delay = Math.min(this.config.reconnectMaxMs, this.config.reconnectMinMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    this.retryAt = Date.now() + delay;
    this.ctx.status.clear();
    this.ctx.status.warn(`not connected: ${this.lastError}`);
    this.retryTimer = setTimeout(() => void this.connect(), delay);
    this.retryTimer.unref();
  }
}

function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  return Promise.race([promise, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ms).unref())]);
}
