/**
 * A scan worker: walks folders and searches files off the main thread, so a big tree or a runaway
 * regular expression never stalls the host (a stuck worker is terminated and replaced).
 */
import { parentPort } from 'node:worker_threads';
import { DenyRules } from '../safety/deny.js';
import { walk } from '../walk/walker.js';
import { compileGlob } from './glob.js';
import { compileMatcher } from './matcher.js';
import type { FoundEntry, Skipped, WorkerJob, WorkerReply } from './protocol.js';
import { FileOpener, searchFile, type FileMatches } from './search-file.js';

const port = parentPort!;
const denyCache = new Map<string, DenyRules>();

function denyRules(globs: string[]): DenyRules {
  const key = JSON.stringify(globs);
  let rules = denyCache.get(key);
  if (!rules) denyCache.set(key, (rules = new DenyRules(globs)));
  return rules;
}

function post(reply: WorkerReply): void {
  port.postMessage(reply);
}

port.on('message', (job: WorkerJob) => {
  try {
    run(job);
  } catch (error) {
    post({ id: job.id, type: 'error', message: (error as Error)?.message ?? String(error) });
  }
});

function run(job: WorkerJob): void {
  const flag = new Int32Array(job.stop);
  const shouldStop = () => Atomics.load(flag, 0) !== 0;
  if (job.op === 'find') {
    const glob = compileGlob(job.pattern);
    const entries: FoundEntry[] = [];
    let matched = 0;
    let scanned = 0;
    const base = job.baseRel ? job.baseRel.length + 1 : 0;
    const stats = walk({ ...job, deny: denyRules(job.deny), shouldStop }, (entry) => {
      if (entry.kind !== 'file' && entry.kind !== 'dir') return;
      scanned++;
      if (!glob.test(entry.rel.slice(base), entry.name)) return;
      matched++;
      if (entries.length < job.maxResults) entries.push({ path: entry.abs, dir: entry.kind === 'dir' });
      // One past the limit is enough to say there are more.
      if (matched > job.maxResults) return false;
    });
    post({ id: job.id, type: 'found', entries, matched, scanned, stopped: stats.stopped && matched <= job.maxResults, folders: stats.folders, unreadable: stats.unreadable });
    return;
  }
  if (job.op === 'walk') {
    const glob = job.glob ? compileGlob(job.glob) : undefined;
    const base = job.baseRel ? job.baseRel.length + 1 : 0;
    let batch: string[] = [];
    let files = 0;
    const stats = walk({ ...job, deny: denyRules(job.deny), shouldStop }, (entry) => {
      if (entry.kind !== 'file') return;
      if (glob && !glob.test(entry.rel.slice(base), entry.name)) return;
      batch.push(entry.abs);
      files++;
      if (batch.length >= job.batchSize) {
        post({ id: job.id, type: 'files', files: batch });
        batch = [];
      }
    });
    if (batch.length > 0) post({ id: job.id, type: 'files', files: batch });
    post({ id: job.id, type: 'walked', files, folders: stats.folders, unreadable: stats.unreadable, stopped: stats.stopped });
    return;
  }
  const matcher = compileMatcher(job.matcher);
  const results: FileMatches[] = [];
  const skipped: Skipped = { binary: 0, large: 0, unreadable: 0 };
  let lines = 0;
  let searched = 0;
  let stopped = false;
  const opener = new FileOpener();
  try {
    for (const file of job.files) {
      if (shouldStop() || lines >= job.limit) {
        stopped = shouldStop();
        break;
      }
      searched++;
      // One more than fits, so the caller can tell "exactly full" from "more matches exist".
      const found = searchFile(opener, file, matcher, job.contextLines, job.limit - lines + 1);
      if (found === undefined) continue;
      if (typeof found === 'string') {
        skipped[found]++;
        continue;
      }
      results.push(found);
      lines += found.matches.length;
    }
  } finally {
    opener.close();
  }
  post({ id: job.id, type: 'searched', results, lines, searched, skipped, stopped });
}
