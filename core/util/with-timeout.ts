import { HostError } from './host-error.js';

/** Runs `work` but gives up after `ms` with a TIMEOUT error naming the phase; the work itself cannot be stopped in-process. */
export async function withTimeout<T>(work: () => Promise<T> | T, ms: number, what: string, instance?: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new HostError('TIMEOUT', `${what} did not finish within ${ms} ms`, { instance, expected: `<= ${ms} ms` })),
      ms,
    );
    // Not unref'd: work that hangs without keeping the event loop busy (a never-settling promise)
    // must still time out, or a one-shot command like `mcp-host list` would just exit silently.
  });
  try {
    return await Promise.race([Promise.resolve().then(work), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
