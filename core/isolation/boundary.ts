import type { Readable } from 'node:stream';
import type { GuestMessage, HostMessage } from './wire.js';

/** One running guest (a worker thread or a child process), seen from the host. */
export interface Boundary {
  /** What it is, for logs and errors ("worker 12", "process 4711"). */
  readonly label: string;
  /** Sends now (after anything queued with sendLater); throws when the message cannot be cloned. */
  send(message: HostMessage): void;
  /** Sends at the end of this turn with the others (see message-batch.ts); `onError` if it cannot be cloned. */
  sendLater(message: HostMessage, onError: (error: unknown) => void): void;
  onMessage(listener: (message: GuestMessage) => void): void;
  /** Called once when the guest is gone, with why (an exit code, an uncaught error, out of memory). */
  onExit(listener: (reason: string) => void): void;
  /** The guest's stdout and stderr: never the host's stdout, which is the protocol. */
  readonly output: Readable[];
  /** Ends the guest (and, for a process, its process group); resolves once it is gone. */
  terminate(): Promise<void>;
}

/** Where the guest entry lives: bundled beside the CLI (it is a file of its own, loaded by path). */
export interface GuestSpawnOptions {
  guestPath: string;
  memoryLimitMb?: number;
}
