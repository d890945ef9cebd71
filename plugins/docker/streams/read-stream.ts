/**
 * Reads an Engine response stream chunk by chunk until it ends, the consumer says stop, the deadline
 * passes or the client cancels. Stopping destroys the response, so the Engine stops sending: a
 * multi-gigabyte log is never downloaded to answer with its first 64 KiB.
 */
import type { IncomingMessage } from 'node:http';
import { Cancelled, EngineUnavailable } from '../engine/errors.js';

export interface ReadOutcome {
  /** Why reading ended. */
  ended: 'end' | 'stopped' | 'deadline';
}

export function readStream(
  response: IncomingMessage | NodeJS.ReadableStream,
  onChunk: (chunk: Buffer) => boolean,
  options: { signal?: AbortSignal; deadlineMs?: number; label?: string } = {},
): Promise<ReadOutcome> {
  const stream = response as IncomingMessage;
  return new Promise((resolve, reject) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (outcome: ReadOutcome | Error) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      stream.off('data', onData);
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const onData = (chunk: Buffer) => {
      if (settled) return;
      if (!onChunk(chunk)) {
        finish({ ended: 'stopped' });
        stream.destroy();
      }
    };
    const onAbort = () => {
      finish(new Cancelled('cancelled by the client'));
      stream.destroy();
    };
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.deadlineMs !== undefined) {
      timer = setTimeout(() => {
        finish({ ended: 'deadline' });
        stream.destroy();
      }, options.deadlineMs);
    }
    stream.on('data', onData);
    stream.once('end', () => finish({ ended: 'end' }));
    stream.once('close', () => finish({ ended: 'end' }));
    stream.once('error', (error: Error) => finish(new EngineUnavailable(`the Engine's stream broke${options.label ? ` (${options.label})` : ''}: ${error.message}`)));
  });
}
