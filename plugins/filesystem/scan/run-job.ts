import type { ScanPool } from './pool.js';
import type { WorkerJob, WorkerReply } from './protocol.js';
import type { StopControl } from './stop-control.js';

/**
 * Runs one job on worker `index` and resolves with its final reply (`isFinal`); other replies go to
 * `onProgress`. Once the scan is told to stop, the worker gets a grace period to answer with what it has,
 * then is terminated (the promise then resolves with an error reply).
 */
export function runJob(
  pool: ScanPool,
  index: number,
  job: WorkerJob,
  control: StopControl,
  isFinal: (reply: WorkerReply) => boolean,
  onProgress?: (reply: WorkerReply) => void,
): Promise<WorkerReply> {
  return new Promise((resolve) => {
    let settled = false;
    let grace: NodeJS.Timeout | undefined;
    const finish = (reply: WorkerReply) => {
      if (settled) return;
      settled = true;
      if (grace) clearTimeout(grace);
      pool.forget(index, job.id);
      resolve(reply);
    };
    try {
      pool.send(index, job, (reply) => {
        if (reply.type === 'error' || isFinal(reply)) finish(reply);
        else onProgress?.(reply);
      });
    } catch (error) {
      finish({ id: job.id, type: 'error', message: (error as Error).message });
      return;
    }
    control.onStop(() => {
      // A job that already answered is left alone: its worker may be busy with the next job by now.
      if (settled) return;
      grace = setTimeout(() => {
        if (!settled) pool.kill(index);
      }, pool.stopGraceMs);
      grace.unref();
    });
  });
}
