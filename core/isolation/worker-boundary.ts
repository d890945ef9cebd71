import { Worker } from 'node:worker_threads';
import type { Boundary, GuestSpawnOptions } from './boundary.js';
import { MessageBatch, unbatch } from './message-batch.js';
import type { GuestMessage, HostMessage } from './wire.js';

/** A guest in a worker thread: cheap to start, shares the process, has its own heap (with a hard limit). */
export function spawnWorker(options: GuestSpawnOptions): Boundary {
  const worker = new Worker(options.guestPath, {
    stdout: true,
    stderr: true,
    // The host's flags (e.g. --cpu-prof) are not the plugin's business.
    execArgv: [],
    ...(options.memoryLimitMb ? { resourceLimits: { maxOldGenerationSizeMb: options.memoryLimitMb } } : {}),
  });
  let lastError: string | undefined;
  let exited = false;
  const exitListeners: ((reason: string) => void)[] = [];
  worker.on('error', (error: Error & { code?: string }) => {
    lastError = error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'out of memory (memoryLimitMb)' : `uncaught ${error.message}`;
  });
  const gone = new Promise<void>((resolve) => {
    worker.once('exit', (code) => {
      exited = true;
      const reason = lastError ?? `exited with code ${code}`;
      for (const listener of exitListeners) listener(reason);
      resolve();
    });
  });
  const batch = new MessageBatch<HostMessage>((data) => {
    if (!exited) worker.postMessage(data);
  });
  return {
    label: `worker ${worker.threadId}`,
    send: (message) => batch.now(message),
    sendLater: (message, onError) => batch.later(message, onError),
    onMessage: (listener) => worker.on('message', (data: GuestMessage | GuestMessage[]) => unbatch(data, listener)),
    onExit: (listener) => exitListeners.push(listener),
    output: [worker.stdout, worker.stderr],
    terminate: async () => {
      if (!exited) await worker.terminate();
      await gone;
    },
  };
}
