import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { WorkerJob, WorkerReply } from './protocol.js';

type Listener = (reply: WorkerReply) => void;

interface Slot {
  worker: Worker;
  listeners: Map<number, Listener>;
  failed?: Error;
}

/** How long a worker may take to answer after being told to stop before it is terminated. */
const STOP_GRACE_MS = 1000;

/**
 * Scan workers, started on first use and kept (unreferenced, so they never hold the process open).
 * Scans run one at a time; a worker that does not stop when asked (a pathological regular expression)
 * is terminated and replaced.
 */
export class ScanPool {
  private readonly slots: (Slot | undefined)[];
  private nextId = 1;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(readonly size = Math.max(2, Math.min(4, availableParallelism()))) {
    this.slots = new Array(size).fill(undefined);
  }

  /** Runs `scan` once the scans before it are done. */
  exclusive<T>(scan: () => Promise<T>): Promise<T> {
    const run = this.queue.then(scan, scan);
    this.queue = run.catch(() => {});
    return run;
  }

  newId(): number {
    return this.nextId++;
  }

  /** Sends a job to worker `index`; `onReply` sees every reply for it until `finished` says the job is over. */
  send(index: number, job: WorkerJob, onReply: Listener): void {
    const slot = this.slot(index);
    slot.listeners.set(job.id, onReply);
    slot.worker.postMessage(job);
  }

  /** Stops listening for a job's replies. */
  forget(index: number, id: number): void {
    this.slots[index]?.listeners.delete(id);
  }

  /** Terminates worker `index` (it ignored a stop); its listeners hear an error reply. */
  kill(index: number): void {
    const slot = this.slots[index];
    if (!slot) return;
    this.slots[index] = undefined;
    for (const [id, listener] of slot.listeners) listener({ id, type: 'error', message: 'the scan worker was stopped' });
    void slot.worker.terminate();
  }

  get stopGraceMs(): number {
    return STOP_GRACE_MS;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s, i) => (s ? ((this.slots[i] = undefined), s.worker.terminate()) : undefined)));
  }

  private slot(index: number): Slot {
    if (this.closed) throw new Error('the filesystem plugin is stopping');
    const existing = this.slots[index];
    if (existing) return existing;
    const worker = new Worker(new URL('./worker.js', import.meta.url));
    worker.unref();
    const slot: Slot = { worker, listeners: new Map() };
    worker.on('message', (reply: WorkerReply) => slot.listeners.get(reply.id)?.(reply));
    const fail = (message: string) => {
      if (this.slots[index] === slot) this.slots[index] = undefined;
      for (const [id, listener] of slot.listeners) listener({ id, type: 'error', message });
      slot.listeners.clear();
    };
    worker.on('error', (error) => fail(`scan worker failed: ${error.message}`));
    worker.on('exit', () => fail('scan worker exited'));
    this.slots[index] = slot;
    return slot;
  }
}
