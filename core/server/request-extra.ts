import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import {
  CreateMessageResultSchema,
  ElicitResultSchema,
  type LoggingLevel,
  type ServerNotification,
  type ServerRequest,
} from '@modelcontextprotocol/sdk/types.js';
import type { RequestExtra } from '../api/plugin-api.js';
import { LAZY_ABORT, type LazyAbort } from '../limits/cancellation.js';

type SdkExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

// The SDK's Server tracks each session's logging/setLevel but keeps the check private; we reuse it rather than track levels twice.
const isIgnored = (server: Server, level: LoggingLevel, sessionId?: string): boolean =>
  (server as unknown as { isMessageIgnored(level: LoggingLevel, sessionId?: string): boolean }).isMessageIgnored(level, sessionId);

/** The `extra` a plugin handler receives, bound to one request: progress, logging and client requests travel with it. */
export function createRequestExtra(server: Server, sdk: SdkExtra, instanceId: string): RequestExtra & { [LAZY_ABORT]?: LazyAbort } {
  return new HostRequestExtra(server, sdk, instanceId);
}

/**
 * Its members are getters that make their function on first use: most calls touch none of them, and four closures
 * per call were a fifth of what the host allocated on a quick tools/call. The functions handed out do not depend
 * on `this`, so a plugin may destructure them (`async handler(args, { sendProgress })`).
 */
class HostRequestExtra implements RequestExtra {
  readonly [LAZY_ABORT]?: LazyAbort;
  private progress?: RequestExtra['sendProgress'];
  private logger?: RequestExtra['log'];
  private elicitation?: RequestExtra['elicit'];
  private sampling?: RequestExtra['createMessage'];

  constructor(
    private readonly server: Server,
    private readonly sdk: SdkExtra,
    private readonly instanceId: string,
  ) {
    this[LAZY_ABORT] = (sdk as { [LAZY_ABORT]?: LazyAbort })[LAZY_ABORT];
  }

  // Read only when asked for: a request answered directly makes its signal only then (see answerDirectly).
  get signal(): AbortSignal {
    return this.sdk.signal;
  }

  get sendProgress(): RequestExtra['sendProgress'] {
    const { sdk } = this;
    const progressToken = sdk._meta?.progressToken;
    return (this.progress ??= async (progress, total, message) => {
      if (progressToken === undefined) return;
      await sdk.sendNotification({ method: 'notifications/progress', params: { progressToken, progress, total, message } });
    });
  }

  get log(): RequestExtra['log'] {
    const { server, sdk, instanceId } = this;
    return (this.logger ??= async (level, data) => {
      if (isIgnored(server, level, sdk.sessionId)) return;
      await sdk.sendNotification({ method: 'notifications/message', params: { level, logger: instanceId, data } });
    });
  }

  get elicit(): RequestExtra['elicit'] {
    const { server, sdk } = this;
    return (this.elicitation ??= async (params) => {
      if (!server.getClientCapabilities()?.elicitation) throw new Error('the client does not support elicitation (it did not declare the capability)');
      return sdk.sendRequest({ method: 'elicitation/create', params }, ElicitResultSchema);
    });
  }

  get createMessage(): RequestExtra['createMessage'] {
    const { server, sdk } = this;
    return (this.sampling ??= async (params) => {
      if (!server.getClientCapabilities()?.sampling) throw new Error('the client does not support sampling (it did not declare the capability)');
      return sdk.sendRequest({ method: 'sampling/createMessage', params }, CreateMessageResultSchema);
    });
  }
}
