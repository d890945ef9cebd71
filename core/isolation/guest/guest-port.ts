import { parentPort } from 'node:worker_threads';
import type { GuestMessage, HostMessage } from '../wire.js';

/** The guest's end of the boundary: the worker's parent port, or the child process's IPC channel. */
export interface GuestPort {
  send(message: GuestMessage): void;
  onMessage(listener: (message: HostMessage) => void): void;
}

export function openGuestPort(): GuestPort {
  if (parentPort) {
    const port = parentPort;
    return { send: (message) => port.postMessage(message), onMessage: (listener) => port.on('message', listener) };
  }
  if (!process.send) throw new Error('mcp-host guest: started neither as a worker nor as a forked process');
  // The host is gone (crashed, killed): nobody will stop this process, so it ends itself and, as the leader of
  // its process group, whatever the plugin spawned.
  process.on('disconnect', () => {
    try {
      process.kill(-process.pid, 'SIGKILL');
    } finally {
      process.exit(0);
    }
  });
  return {
    send: (message) => void process.send!(message),
    onMessage: (listener) => process.on('message', (message) => listener(message as HostMessage)),
  };
}
