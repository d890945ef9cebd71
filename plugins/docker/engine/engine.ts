/**
 * The one path to the Docker Engine: dockerode's modem, created lazily (importing dockerode costs about
 * 250 ms, which start-up must not pay, and an Engine that is down must not stop the plugin loading).
 * Nothing is cached from a failed attempt, so the next call after the Engine appears simply works.
 *
 * Every call is bounded: JSON calls by apiTimeoutMs for the whole exchange, streams until their headers
 * arrive (the caller bounds the reading). The client's cancellation aborts the HTTP request.
 */
import type { IncomingMessage } from 'node:http';
import { Cancelled, EngineError, EngineUnavailable, engineMessage, unavailable } from './errors.js';
import type { EngineTarget } from './target.js';

interface Modem {
  dial(options: Record<string, unknown>, callback: (error: unknown, data: unknown) => void): void;
}

export interface EngineRequest {
  method: 'GET' | 'POST' | 'DELETE' | 'PUT' | 'HEAD';
  /** Path without query (`/containers/json`); variable parts must come through `seg()`. */
  path: string;
  query?: Record<string, unknown>;
  body?: unknown;
  /** Statuses that mean success; default 200, 201, 204. */
  ok?: number[];
}

/** One path segment, percent-encoded (ids are also pattern-checked before they get here). */
export function seg(value: string): string {
  return encodeURIComponent(value);
}

/** An image reference as a path: each `/`-separated part encoded, the slashes kept (the Engine routes on them). */
export function refPath(ref: string): string {
  return ref.split('/').map(encodeURIComponent).join('/');
}

function cleanQuery(query: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) out[key] = value;
  return out;
}

export class Engine {
  private modem: Promise<Modem> | undefined;

  constructor(
    readonly target: EngineTarget,
    readonly timeoutMs: number,
  ) {}

  private load(): Promise<Modem> {
    this.modem ??= import('dockerode').then(
      ({ default: Dockerode }) => new Dockerode(this.target.options() as ConstructorParameters<typeof Dockerode>[0]).modem as unknown as Modem,
      (error: Error) => {
        throw new EngineUnavailable(`cannot load dockerode: ${error.message}`);
      },
    );
    return this.modem.catch((error: Error) => {
      // A TLS file that is missing now may be there next time: retry the set-up on the next call.
      this.modem = undefined;
      throw error instanceof EngineUnavailable ? error : new EngineUnavailable(`Docker Engine at ${this.target.label}: ${error.message}`);
    });
  }

  /** A JSON call; resolves with the parsed body (or undefined for empty answers). */
  async call<T = unknown>(request: EngineRequest, signal?: AbortSignal, timeoutMs = this.timeoutMs): Promise<T> {
    return (await this.dial(request, false, signal, timeoutMs)) as T;
  }

  /** A streamed call; resolves with the response once its headers arrived. The caller reads and destroys it. */
  async open(request: EngineRequest, signal?: AbortSignal, timeoutMs = this.timeoutMs): Promise<IncomingMessage> {
    return (await this.dial(request, true, signal, timeoutMs)) as IncomingMessage;
  }

  private async dial(request: EngineRequest, stream: boolean, signal: AbortSignal | undefined, timeoutMs: number): Promise<unknown> {
    if (signal?.aborted) throw new Cancelled('cancelled by the client');
    const modem = await this.load();
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), timeoutMs);
    const abortSignal = signal ? AbortSignal.any([signal, deadline.signal]) : deadline.signal;
    const statusCodes: Record<number, boolean> = {};
    for (const code of request.ok ?? [200, 201, 204]) statusCodes[code] = true;
    const query = cleanQuery(request.query);
    const hasQuery = Object.keys(query).length > 0;
    const options = request.method === 'POST' || request.method === 'PUT' ? { _query: query, _body: request.body ?? {} } : { _query: query };
    try {
      return await new Promise((resolve, reject) => {
        modem.dial(
          {
            path: hasQuery ? `${request.path}?` : request.path,
            method: request.method,
            options,
            isStream: stream,
            statusCodes,
            abortSignal,
          },
          (error, data) => (error ? reject(error) : resolve(data)),
        );
      });
    } catch (error) {
      if (signal?.aborted) throw new Cancelled('cancelled by the client');
      if (deadline.signal.aborted) throw new EngineUnavailable(`Docker Engine at ${this.target.label} did not answer within ${timeoutMs} ms`);
      const down = unavailable(error, this.target.label);
      if (down) throw down;
      const err = error as { statusCode?: number; json?: unknown; message?: string };
      if (typeof err.statusCode === 'number') throw new EngineError(err.statusCode, engineMessage(err));
      throw new EngineUnavailable(`Docker Engine at ${this.target.label}: ${String(err?.message ?? error)}`);
    } finally {
      // Streams: the deadline covered the wait for headers; from here the caller bounds the reading.
      clearTimeout(timer);
    }
  }
}
