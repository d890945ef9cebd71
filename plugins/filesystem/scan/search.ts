import type { MatcherSpec } from './matcher.js';
import type { ScanPool } from './pool.js';
import type { Skipped, WalkScope, WorkerReply } from './protocol.js';
import { runJob } from './run-job.js';
import type { FileMatches } from './search-file.js';
import { StopControl } from './stop-control.js';

export interface SearchRequest {
  scopes: WalkScope[];
  /** Search exactly these (verified real) files instead of walking. */
  files?: string[];
  glob?: string;
  matcher: MatcherSpec;
  contextLines: number;
  maxResults: number;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface SearchResult {
  files: FileMatches[];
  lines: number;
  /** True when the search stopped at maxResults with files left to search. */
  more: boolean;
  searched: number;
  walked: number;
  skipped: Skipped;
  stopped?: 'timeout' | 'cancelled';
  errors: string[];
}

const BATCH = 256;

/**
 * Searches file contents: worker 0 walks the scopes and streams batches of file paths; every worker
 * (worker 0 too, once its walk is done) takes the next batch as soon as it is free.
 */
export function searchContent(pool: ScanPool, req: SearchRequest): Promise<SearchResult> {
  return pool.exclusive(async () => {
    const control = new StopControl(req.timeoutMs, req.signal);
    const result: SearchResult = { files: [], lines: 0, more: false, searched: 0, walked: 0, skipped: { binary: 0, large: 0, unreadable: 0 }, errors: [] };
    const queue: string[][] = [];
    const idle: number[] = [];
    let walking = true;
    let busy = 0;
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const settle = () => {
      if (!walking && busy === 0 && (queue.length === 0 || control.stopped)) done();
    };
    const dispatch = () => {
      while (!control.stopped && idle.length > 0 && queue.length > 0) {
        const index = idle.shift()!;
        const files = queue.shift()!;
        busy++;
        const limit = req.maxResults - result.lines;
        void runJob(pool, index, { op: 'search', id: pool.newId(), stop: control.buffer, files, matcher: req.matcher, contextLines: req.contextLines, limit }, control, (r) => r.type === 'searched').then((reply) => {
          busy--;
          absorb(reply);
          idle.push(index);
          dispatch();
          settle();
        });
      }
      if (control.stopped && queue.length > 0) result.more = result.more || control.reason === 'enough';
    };
    const absorb = (reply: WorkerReply) => {
      if (reply.type === 'error') return void result.errors.push(reply.message);
      if (reply.type !== 'searched') return;
      result.searched += reply.searched;
      for (const k of ['binary', 'large', 'unreadable'] as const) result.skipped[k] += reply.skipped[k];
      for (const file of reply.results) {
        if (result.lines >= req.maxResults) {
          result.more = true;
          break;
        }
        const room = req.maxResults - result.lines;
        if (file.matches.length > room) {
          file.matches.length = room;
          result.more = true;
        }
        result.files.push(file);
        result.lines += file.matches.length;
      }
      if (result.lines >= req.maxResults) {
        if (reply.searched > 0 && (queue.length > 0 || walking || busy > 0)) result.more = true;
        control.stop('enough');
      }
    };

    for (let i = 1; i < pool.size; i++) idle.push(i);
    const walkScopes = async () => {
      if (req.files) {
        result.walked += req.files.length;
        queue.push(req.files);
      }
      for (const scope of req.scopes) {
        if (control.stopped) break;
        const reply = await runJob(
          pool,
          0,
          { op: 'walk', id: pool.newId(), stop: control.buffer, glob: req.glob, batchSize: BATCH, ...scope },
          control,
          (r) => r.type === 'walked',
          (r) => {
            if (r.type !== 'files') return;
            result.walked += r.files.length;
            queue.push(r.files);
            dispatch();
          },
        );
        if (reply.type === 'error') result.errors.push(reply.message);
      }
      walking = false;
      idle.push(0);
      dispatch();
      settle();
    };
    try {
      await walkScopes();
      await finished;
      if (control.reason === 'timeout' || control.reason === 'cancelled') result.stopped = control.reason;
      result.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      return result;
    } finally {
      control.dispose();
    }
  });
}
