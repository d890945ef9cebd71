/**
 * The public plugin API, version 1 (`HOST_API_VERSION`).
 *
 * A plugin needs no import from the host: everything it uses arrives through `ctx`.
 * These types exist for TypeScript authors (`definePlugin()` checks a plugin against them).
 *
 * Every function here is asynchronous or fire-and-forget and every value crossing it is
 * plain JSON (apart from `ctx.container`, which is the plugin's own): the same contract
 * can be served to a plugin running in a worker thread or a child process.
 */
import type {
  CallToolResult,
  ClientCapabilities,
  CreateMessageRequest,
  CreateMessageResult,
  ElicitRequest,
  ElicitResult,
  GetPromptResult,
  LoggingLevel,
  ReadResourceResult,
  Resource,
  Root,
  ToolAnnotations,
} from '@modelcontextprotocol/sdk/types.js';
import type { DependencyContainer } from 'tsyringe';

export type { CallToolResult, GetPromptResult, ReadResourceResult, LoggingLevel };

/** The plugin API version this host provides. Plugins declare a semver range for it as `hostApi` in plugin.json. */
export const HOST_API_VERSION = '1.0.0';

/** A JSON Schema (draft 2020-12 or draft-07) as a plain object. */
export type JsonSchema = Record<string, unknown>;

/**
 * Per-request helpers handed to every handler. Its functions do not depend on `this`: a handler may destructure
 * them (`async (args, { signal, sendProgress }) => ...`), in-process, in a worker or in a child process alike.
 */
export interface RequestExtra {
  /** Fires when the client cancels the request (or the host shuts down). Pass it to I/O that accepts one. */
  signal: AbortSignal;
  /**
   * Calls `listener` once if the call is cancelled (by the client, or by the host's time limit, with the reason
   * `signal` would carry); returns a function that stops listening. A cheaper way than `signal` for code that only
   * passes cancellation on (no AbortSignal is made); the client's cancellation may be seen up to ~20 ms late.
   * Optional: absent where the host has no cheaper way (then use `signal`).
   */
  onCancel?(listener: (reason: unknown) => void): () => void;
  /** Reports progress to the client; a no-op when the client asked for none. Progress also keeps long calls alive. */
  sendProgress(progress: number, total?: number, message?: string): Promise<void>;
  /** Sends an MCP logging notification (`notifications/message`) tagged with this instance; filtered by the client's log level. */
  log(level: LoggingLevel, data: unknown): Promise<void>;
  /** Asks the user for input through the client (MCP elicitation). Rejects with a clear error when the client cannot. */
  elicit(params: ElicitRequest['params']): Promise<ElicitResult>;
  /** Asks the client's model for a completion (MCP sampling). Rejects with a clear error when the client cannot. */
  createMessage(params: CreateMessageRequest['params']): Promise<CreateMessageResult>;
}

/**
 * A tool result may carry its own JSON under this key (a non-enumerable property): the text (a string) or its
 * UTF-8 bytes (a Uint8Array, which the host writes as they are, without encoding them). The host sends that
 * instead of serializing the result again: for a plugin that received the result as JSON, such as a pass-through
 * to another MCP server, where serializing a large result costs more than the rest of the call. It must be
 * exactly one JSON object whose members and values are the result's (no duplicate keys), with no line break or
 * carriage return outside its strings. The host uses it only when it sends the result unchanged (text items
 * only; anything else is re-serialized), and it does not cross a worker or process boundary.
 */
export const RESULT_JSON: unique symbol = Symbol.for('mcp-host.result-json');

/** A tool. Its exposed name is `<namespace>__<name>`; `name` must match `^[a-zA-Z0-9_-]+$`. */
export interface ToolDefinition<A = Record<string, unknown>> {
  name: string;
  title?: string;
  description: string;
  /** JSON Schema of the arguments (`type: "object"`). The host validates every call against it before the handler runs. */
  inputSchema: JsonSchema;
  outputSchema?: JsonSchema;
  /** Hints such as `readOnlyHint` and `destructiveHint`: clients use them to decide what to auto-approve. */
  annotations?: ToolAnnotations;
  /** Runs the tool. A thrown error becomes an `isError: true` result; the host keeps serving. */
  handler(args: A, extra: RequestExtra): Promise<CallToolResult> | CallToolResult;
}

/** Subscription hooks: called when the first client subscribes to a URI and when the last one leaves. */
export interface SubscriptionHooks {
  subscribe?(uri: string): Promise<void> | void;
  unsubscribe?(uri: string): Promise<void> | void;
}

/**
 * A fixed resource. `uri` is in the plugin's own terms (`hello://greeting`); the host exposes it as
 * `hello://<namespace>/greeting` so two instances never collide, and maps reads back.
 */
export interface ResourceDefinition extends SubscriptionHooks {
  uri: string;
  name: string;
  title?: string;
  description?: string;
  mimeType?: string;
  /** Returns `{contents: [{uri, mimeType?, text | blob}]}`; `uri` values are in the plugin's own terms. */
  read(uri: string, extra: RequestExtra): Promise<ReadResourceResult> | ReadResourceResult;
}

/** A family of resources addressed by an RFC 6570 URI template, e.g. `hello://greeting/{name}`. */
export interface ResourceTemplateDefinition extends SubscriptionHooks {
  uriTemplate: string;
  name: string;
  title?: string;
  description?: string;
  mimeType?: string;
  /** Concrete resources of this template to include in `resources/list` (optional). */
  list?(extra: RequestExtra): Promise<Resource[]> | Resource[];
  read(uri: string, variables: Record<string, string | string[]>, extra: RequestExtra): Promise<ReadResourceResult> | ReadResourceResult;
  /** Suggestions for one template variable given what the user typed so far. */
  complete?(variable: string, value: string, context: Record<string, string>): Promise<string[]> | string[];
}

export interface PromptArgument {
  name: string;
  description?: string;
  required?: boolean;
}

/** A prompt. Exposed as `<namespace>__<name>`. */
export interface PromptDefinition {
  name: string;
  title?: string;
  description: string;
  arguments?: PromptArgument[];
  get(args: Record<string, string>, extra: RequestExtra): Promise<GetPromptResult> | GetPromptResult;
  /** Suggestions for one argument given what the user typed so far. */
  complete?(argument: string, value: string, context: Record<string, string>): Promise<string[]> | string[];
}

/** Returned by every `register*` call: removes the entry again (the host sends `list_changed`). */
export interface Registration {
  remove(): void;
}

/** A logger tagged with the instance. Output goes to stderr or the log file, never to stdout. */
export interface PluginLogger {
  error(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  info(message: string, meta?: Record<string, unknown>): void;
  debug(message: string, meta?: Record<string, unknown>): void;
}

/** What the host knows about the connected client. */
export interface ClientInfo {
  /** The capabilities the client declared at `initialize` (undefined before it has connected). */
  capabilities(): ClientCapabilities | undefined;
  /** The client's roots (`roots/list`); an empty list when the client has no roots capability. */
  listRoots(): Promise<Root[]>;
  /** Called when the client says its roots changed. Returns a function that unsubscribes. */
  onRootsChanged(listener: () => void): () => void;
}

/** Everything a plugin gets from the host. One context per instance generation. */
export interface PluginContext<C = Record<string, unknown>> {
  /** The instance name (the key in plugins.json). */
  readonly instanceId: string;
  /** The prefix of exposed names (`""` when unprefixed). */
  readonly namespace: string;
  readonly pluginId: string;
  /** The instance's config, validated against the plugin's `configSchema` with defaults filled in. */
  readonly config: C;
  readonly logger: PluginLogger;
  /** A tsyringe child container for this instance generation; host services resolve from it by the exported tokens. Disposed after stop. */
  readonly container: DependencyContainer;
  /** Resolves a path against the folder of plugins.json, expanding `~`. */
  resolvePath(path: string): string;
  /** Warnings shown in `host__status` and `mcp-host list`, e.g. "connected as a superuser". */
  readonly status: { warn(message: string): void; clear(): void };
  readonly client: ClientInfo;
  readonly tools: { register<A = Record<string, unknown>>(tool: ToolDefinition<A>): Registration };
  readonly resources: {
    register(resource: ResourceDefinition): Registration;
    registerTemplate(template: ResourceTemplateDefinition): Registration;
    /** Tells subscribed clients that a resource changed (`uri` in the plugin's own terms). */
    notifyUpdated(uri: string): void;
  };
  readonly prompts: { register(prompt: PromptDefinition): Registration };
  /** Runs when this generation is disposed, after `stop`, in reverse order of registration. */
  onDispose(hook: () => Promise<void> | void): void;
}

/** Why an instance is being stopped. */
export type StopReason = 'reload' | 'disable' | 'shutdown';

/**
 * A plugin module's default export.
 * `register` declares tools, resources and prompts (no I/O needed: connect lazily so a service that is down never hides tools);
 * `start` opens pools and watchers; `stop` closes them. Each phase runs under a timeout.
 */
export interface PluginModule<C = Record<string, unknown>> {
  register(ctx: PluginContext<C>): Promise<void> | void;
  start?(ctx: PluginContext<C>): Promise<void> | void;
  stop?(ctx: PluginContext<C>, reason: StopReason): Promise<void> | void;
}
