import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import {
  CallToolResultSchema,
  ErrorCode,
  McpError,
  type CallToolResult,
  type GetPromptResult,
  type ReadResourceResult,
} from '@modelcontextprotocol/sdk/types.js';
import type { RequestExtra } from '../../core/api/index.js';
import type { DirectCalls } from './direct-calls.js';
import { Inflight } from './inflight.js';

/** What the calls need of the connection (connection.ts). */
export interface Link {
  readonly instanceId: string;
  readonly requestTimeoutMs: number;
  /** The connected client, if any. */
  current(): Client | undefined;
  /** Tool calls that bypass the client's request machinery (over stdio), when connected. */
  direct(): DirectCalls | undefined;
  /** Why there is no connection, for an error a person reads. */
  whyNotConnected(): string;
  /** A request failed in a way that may mean the connection is gone (HTTP); the connection decides. */
  requestFailed(client: Client, error: unknown): void;
}

/**
 * Everything the host asks of the server, forwarded on the current connection: tool calls (with
 * progress, cancellation and the call's sampling/elicitation/logging), reads, prompts, completions,
 * subscriptions. While there is no connection, tools answer `isError` naming the instance.
 */
export class ServerCalls {
  readonly inflight = new Inflight();
  /** URIs the host subscribed to (in the server's terms), renewed on every new connection. */
  readonly subscriptions = new Set<string>();
  /** Sees every tool result (resource links). */
  onToolResult: (result: CallToolResult) => void = () => {};

  constructor(private readonly link: Link) {}

  /** Not an async function: one promise per call instead of four (this is the hot path of every forwarded tool). */
  callTool(name: string, args: Record<string, unknown>, extra: RequestExtra): Promise<CallToolResult> {
    const client = this.link.current();
    if (!client) return Promise.resolve(errorResult(this.link.whyNotConnected()));
    const direct = this.link.direct();
    this.inflight.enter(extra);
    let call: Promise<unknown>;
    try {
      call = direct ? direct.call(name, args, extra) : client.request({ method: 'tools/call', params: { name, arguments: args } }, CALL_TOOL_RESULT, this.options(extra));
    } catch (error) {
      call = Promise.reject(error);
    }
    return call.then(
      (value) => {
        this.inflight.leave(extra);
        try {
          const result = direct ? checkCallResult(value) : (value as CallToolResult);
          this.onToolResult(result);
          return result;
        } catch (error) {
          return errorResult(this.failure(client, error, `tool "${name}"`, extra.signal));
        }
      },
      (error) => {
        this.inflight.leave(extra);
        return errorResult(this.failure(client, error, `tool "${name}"`, extra.signal));
      },
    );
  }

  async readResource(uri: string, extra: RequestExtra): Promise<ReadResourceResult> {
    const client = this.connected();
    try {
      return await this.inflight.run(extra, () => client.readResource({ uri }, this.options(extra)));
    } catch (error) {
      throw new Error(this.failure(client, error, `reading ${uri}`, extra.signal));
    }
  }

  async getPrompt(name: string, args: Record<string, string>, extra: RequestExtra): Promise<GetPromptResult> {
    const client = this.connected();
    try {
      return await this.inflight.run(extra, () => client.getPrompt({ name, arguments: args }, this.options(extra)));
    } catch (error) {
      throw new Error(this.failure(client, error, `prompt "${name}"`, extra.signal));
    }
  }

  async complete(
    ref: { type: 'ref/prompt'; name: string } | { type: 'ref/resource'; uri: string },
    argument: string,
    value: string,
    context: Record<string, string>,
  ): Promise<string[]> {
    const client = this.link.current();
    if (!client?.getServerCapabilities()?.completions) return [];
    try {
      const withContext = Object.keys(context).length > 0 ? { context: { arguments: context } } : {};
      const result = await client.complete({ ref, argument: { name: argument, value }, ...withContext }, { timeout: this.link.requestTimeoutMs });
      return result.completion.values;
    } catch (error) {
      throw new Error(this.failure(client, error, 'completion'));
    }
  }

  async subscribe(uri: string): Promise<void> {
    this.subscriptions.add(uri);
    const client = this.link.current();
    // Not connected: the subscription is made when the connection is (see renewSubscriptions).
    if (client?.getServerCapabilities()?.resources?.subscribe) await client.subscribeResource({ uri });
  }

  async unsubscribe(uri: string): Promise<void> {
    this.subscriptions.delete(uri);
    const client = this.link.current();
    if (client?.getServerCapabilities()?.resources?.subscribe) await client.unsubscribeResource({ uri }).catch(() => {});
  }

  /** A new connection: the host's subscriptions are made again on it. */
  async renewSubscriptions(client: Client): Promise<void> {
    if (!client.getServerCapabilities()?.resources?.subscribe) return;
    await Promise.all([...this.subscriptions].map((uri) => client.subscribeResource({ uri }).catch(() => {})));
  }

  private connected(): Client {
    const client = this.link.current();
    if (!client) throw new Error(this.link.whyNotConnected());
    return client;
  }

  /** Cancellation, progress (which also restarts the timeout) and the timeout of one forwarded request. */
  private options(extra: RequestExtra): RequestOptions {
    return {
      signal: extra.signal,
      timeout: this.link.requestTimeoutMs,
      resetTimeoutOnProgress: true,
      onprogress: (p) => void extra.sendProgress(p.progress, p.total, p.message).catch(() => {}),
    };
  }

  /** One sentence naming the instance and what went wrong. */
  private failure(client: Client, error: unknown, what: string, signal?: AbortSignal): string {
    const server = `MCP server "${this.link.instanceId}"`;
    // The SDK reports a cancelled request as a timeout: say what happened.
    if (signal?.aborted) return `${server}: ${what} was cancelled`;
    if (this.link.current() !== client) return `${server}: the connection ended during ${what} (${this.link.whyNotConnected()})`;
    if (error instanceof McpError) {
      if (error.code === ErrorCode.RequestTimeout) return `${server}: ${what} got no answer within ${this.link.requestTimeoutMs} ms`;
      return `${server}: ${what} failed: ${error.message.replace(/^MCP error -?\d+: /, '')}`;
    }
    this.link.requestFailed(client, error);
    if (this.link.current() !== client) return `${server}: the connection ended during ${what} (${this.link.whyNotConnected()})`;
    return `${server}: ${what} failed: ${(error as Error)?.message ?? String(error)}`;
  }
}

/**
 * The check of a tools/call answer. The host checks every tool result itself (content items,
 * structuredContent against outputSchema) before the client sees it, so a second full zod parse of
 * every (often large) result here would only cost time: this checks the envelope, and fills the
 * `content` a result may omit (the schema's default). Throws what is wrong.
 */
function checkCallResult(data: unknown): CallToolResult {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new Error('the result is not an object');
  const result = data as CallToolResult;
  // A copy, not a change: the JSON text the result may carry (RESULT_JSON) must stay its exact text.
  if (result.content === undefined) return { ...result, content: [] };
  if (!Array.isArray(result.content)) throw new Error("the result's content is not a list");
  return result;
}

/** checkCallResult as the schema the SDK client's request() takes. */
const CALL_TOOL_RESULT = {
  safeParse(data: unknown): { success: true; data: CallToolResult } | { success: false; error: Error } {
    try {
      return { success: true, data: checkCallResult(data) };
    } catch (error) {
      return { success: false, error: error as Error };
    }
  },
} as unknown as typeof CallToolResultSchema;

export function errorResult(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}
