import { parentPort } from 'node:worker_threads';
import { MessageBatch, unbatch } from '../message-batch.js';
import type { GuestMessage, HostMessage } from '../wire.js';

/** The guest's end of the boundary: the worker's parent port, or the child process's IPC channel. */
export interface GuestPort {
  /** Sends now (after anything queued with sendLater); throws when the message cannot be cloned. */
  send(message: GuestMessage): void;
  /** Sends at the end of this turn with the others (see message-batch.ts); `onError` if it cannot be cloned. */
  sendLater(message: GuestMessage, onError: (error: unknown) => void): void;
  onMessage(listener: (message: HostMessage) => void): void;
}

export function openGuestPort(): GuestPort {
  if (parentPort) {
    const port = parentPort;
    const batch = new MessageBatch<GuestMessage>((data) => port.postMessage(data));
    return {
      send: (message) => batch.now(message),
      sendLater: (message, onError) => batch.later(message, onError),
      onMessage: (listener) => port.on('message', (data: HostMessage | HostMessage[]) => unbatch(data, listener)),
    };
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
  const batch = new MessageBatch<GuestMessage>((data) => void process.send!(data));
  return {
    send: (message) => batch.now(message),
    sendLater: (message, onError) => batch.later(message, onError),
    onMessage: (listener) => process.on('message', (data) => unbatch(data as HostMessage | HostMessage[], listener)),
  };
}
