import type { ScanPool } from './pool.js';
import type { FoundEntry, WalkScope } from './protocol.js';
import { runJob } from './run-job.js';
import { StopControl } from './stop-control.js';

export interface FindResult {
  entries: FoundEntry[];
  /** True when more entries match than were returned. */
  more: boolean;
  scanned: number;
  unreadable: number;
  stopped?: 'timeout' | 'cancelled';
  errors: string[];
}

/** Finds entries matching a glob under each scope (in parallel on the pool's workers). */
export function findFiles(pool: ScanPool, scopes: WalkScope[], pattern: string, maxResults: number, timeoutMs: number, signal?: AbortSignal): Promise<FindResult> {
  return pool.exclusive(async () => {
    const control = new StopControl(timeoutMs, signal);
    try {
      const replies = await Promise.all(
        scopes.map((scope, i) =>
          runJob(pool, i % pool.size, { op: 'find', id: pool.newId(), stop: control.buffer, pattern, maxResults, ...scope }, control, (r) => r.type === 'found'),
        ),
      );
      const result: FindResult = { entries: [], more: false, scanned: 0, unreadable: 0, errors: [] };
      for (const reply of replies) {
        if (reply.type === 'error') result.errors.push(reply.message);
        if (reply.type !== 'found') continue;
        result.entries.push(...reply.entries);
        result.scanned += reply.scanned;
        result.unreadable += reply.unreadable;
        if (reply.matched > reply.entries.length) result.more = true;
      }
      result.entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      if (result.entries.length > maxResults) {
        result.entries.length = maxResults;
        result.more = true;
      }
      if (control.reason === 'timeout' || control.reason === 'cancelled') result.stopped = control.reason;
      return result;
    } finally {
      control.dispose();
    }
  });
}
