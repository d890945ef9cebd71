/**
 * The ways a call can fail, each turned into one clear sentence for the model: the Engine is not there
 * (with a hint), it did not answer in time, it answered with an error, or the plugin refused.
 */

/** The Engine cannot be reached (no socket, refused, permission denied, TLS files missing). */
export class EngineUnavailable extends Error {}

/** The Engine answered with an HTTP error; `message` is the Engine's own. */
export class EngineError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** The plugin refused before asking the Engine (policy, profile scoping, confirmation); shown as "refused: ...". */
export class Refusal extends Error {}

/** An argument the plugin cannot use (a time it cannot read, an id where a reference is needed); shown as it is. */
export class BadArgument extends Error {}

/** The call was cancelled by the client. */
export class Cancelled extends Error {}

const HINTS: Record<string, string> = {
  ENOENT: 'no socket there: is the Docker Engine (dockerd) running?',
  ECONNREFUSED: 'nothing is listening there: is the Docker Engine (dockerd) running?',
  EACCES: 'permission denied: the daemon user needs access to the socket (e.g. membership of the docker group)',
  EPERM: 'permission denied',
  ECONNRESET: 'the connection was reset',
  EPIPE: 'the connection was closed',
  ENOTFOUND: 'host name not found',
  EHOSTUNREACH: 'host unreachable',
  ETIMEDOUT: 'connection timed out',
  ENOTSOCK: 'that path is not a socket',
};

/** Connection-level failure of a request (no HTTP answer), or undefined when `error` is something else. */
export function unavailable(error: unknown, label: string): EngineUnavailable | undefined {
  const err = error as NodeJS.ErrnoException;
  if (typeof err?.code !== 'string' || !/^E[A-Z]+$/.test(err.code)) return undefined;
  const hint = HINTS[err.code];
  return new EngineUnavailable(`Docker Engine not reachable at ${label}: ${err.code}${hint ? ` (${hint})` : ''}`);
}

/** The Engine's own message of an HTTP error from docker-modem. */
export function engineMessage(error: { statusCode?: number; json?: unknown; message?: string }): string {
  const json = error.json as { message?: unknown } | Buffer | string | undefined;
  if (json && typeof json === 'object' && !Buffer.isBuffer(json) && typeof json.message === 'string') return json.message;
  if (Buffer.isBuffer(json) && json.length > 0) return json.toString('utf8', 0, Math.min(json.length, 2000)).trim();
  if (typeof json === 'string' && json) return json.slice(0, 2000).trim();
  return String(error.message ?? 'unknown error').replace(/^\(HTTP code \d+\)\s*/, '').trim();
}
