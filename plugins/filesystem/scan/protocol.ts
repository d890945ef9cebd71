import type { MatcherSpec } from './matcher.js';
import type { FileMatches } from './search-file.js';

/** Messages between the plugin and its scan workers. Every job carries a shared stop flag. */
export interface WalkScope {
  rootReal: string;
  baseRel: string;
  respectGitignore: boolean;
  deny: string[];
}

export type WorkerJob =
  | ({ op: 'find'; id: number; stop: SharedArrayBuffer; pattern: string; maxResults: number } & WalkScope)
  | ({ op: 'walk'; id: number; stop: SharedArrayBuffer; glob?: string; batchSize: number } & WalkScope)
  | { op: 'search'; id: number; stop: SharedArrayBuffer; files: string[]; matcher: MatcherSpec; contextLines: number; limit: number };

export interface FoundEntry {
  path: string;
  dir: boolean;
}

export interface Skipped {
  binary: number;
  large: number;
  unreadable: number;
}

export type WorkerReply =
  | { id: number; type: 'files'; files: string[] }
  | { id: number; type: 'found'; entries: FoundEntry[]; matched: number; scanned: number; stopped: boolean; folders: number; unreadable: number }
  | { id: number; type: 'walked'; files: number; folders: number; unreadable: number; stopped: boolean }
  | { id: number; type: 'searched'; results: FileMatches[]; lines: number; searched: number; skipped: Skipped; stopped: boolean }
  | { id: number; type: 'error'; message: string };
