import { fork } from 'node:child_process';
import type { Boundary, GuestSpawnOptions } from './boundary.js';
import { MessageBatch, unbatch } from './message-batch.js';
import type { GuestMessage, HostMessage } from './wire.js';

/** How long a guest process gets after SIGTERM before its process group is killed. */
const KILL_GRACE_MS = 1000;

/**
 * A guest in a child process: its own heap, event loop and file descriptors. It leads its own process
 * group, so terminating it also ends whatever it spawned; it exits by itself when the IPC channel closes
 * (the host died).
 */
export function spawnProcess(options: GuestSpawnOptions): Boundary {
  const child = fork(options.guestPath, [], {
    serialization: 'advanced',
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    detached: true,
    execArgv: options.memoryLimitMb ? [`--max-old-space-size=${options.memoryLimitMb}`] : [],
  });
  let exited = false;
  const exitListeners: ((reason: string) => void)[] = [];
  const gone = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = true;
      const reason = signal === 'SIGABRT' || code === 134 ? 'out of memory or aborted' : signal ? `killed by ${signal}` : `exited with code ${code}`;
      for (const listener of exitListeners) listener(reason);
      resolve();
    });
  });
  child.on('error', () => {}); // a failed send to a dying child; its exit is reported above
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      child.kill(signal);
    }
  };
  const batch = new MessageBatch<HostMessage>((data) => {
    if (!exited && child.connected) child.send(data);
  });
  return {
    label: `process ${child.pid}`,
    send: (message) => batch.now(message),
    sendLater: (message, onError) => batch.later(message, onError),
    onMessage: (listener) => child.on('message', (data) => unbatch(data as GuestMessage | GuestMessage[], listener)),
    onExit: (listener) => exitListeners.push(listener),
    output: [child.stdout!, child.stderr!],
    terminate: async () => {
      if (!exited) {
        killGroup('SIGTERM');
        const timer = setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS);
        await gone;
        clearTimeout(timer);
      }
      await gone;
      killGroup('SIGKILL'); // what it spawned outlives it otherwise
    },
  };
}
