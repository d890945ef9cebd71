import { basename, dirname, relative, sep } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';

/** One debounced burst of file changes. */
export interface FileChanges {
  /** plugins.json or the .env beside it changed. */
  config: boolean;
  /** Plugin folders (direct sub-folders of a plugin root) with a changed, added or removed file. */
  pluginDirs: Set<string>;
}

export interface WatchOptions {
  configPath: string;
  pluginRoots: string[];
  /** Quiet time that ends a burst. */
  debounceMs?: number;
  /** A burst never waits longer than this, even while edits keep coming. */
  maxWaitMs?: number;
  onChange(changes: FileChanges): void;
  onError(error: unknown): void;
}

const IGNORED = /(^|[/\\])(node_modules|\.git)([/\\]|$)/;

/**
 * Watches plugins.json, its .env and every plugin root with chokidar, and reports debounced,
 * coalesced bursts. The config's folder is watched rather than the file so editors that save by
 * writing a temp file and renaming it over the original are followed too.
 */
export class FileWatcher {
  private readonly watcher: FSWatcher;
  private roots: string[];
  private pending: FileChanges = { config: false, pluginDirs: new Set() };
  private timer?: NodeJS.Timeout;
  private firstAt = 0;

  constructor(private readonly options: WatchOptions) {
    this.roots = options.pluginRoots;
    const configDir = dirname(options.configPath);
    this.watcher = watch([configDir, ...this.roots], {
      ignoreInitial: true,
      ignored: (path: string) => IGNORED.test(path) || (dirname(path) === configDir && !this.isConfigFile(path) && !this.underRoot(path) && path !== configDir),
    });
    for (const event of ['add', 'change', 'unlink', 'addDir', 'unlinkDir'] as const) this.watcher.on(event, (path: string) => this.record(path));
    this.watcher.on('error', (error) => options.onError(error));
  }

  /** Resolves once the initial scan is done (changes before that are not reported). */
  ready(): Promise<void> {
    return new Promise((resolve) => this.watcher.once('ready', () => resolve()));
  }

  /** Follows a new set of plugin roots (pluginDirs changed). */
  setRoots(roots: string[]): void {
    const gone = this.roots.filter((r) => !roots.includes(r));
    const added = roots.filter((r) => !this.roots.includes(r));
    this.roots = roots;
    if (gone.length) this.watcher.unwatch(gone);
    if (added.length) this.watcher.add(added);
  }

  close(): Promise<void> {
    clearTimeout(this.timer);
    return this.watcher.close();
  }

  private isConfigFile(path: string): boolean {
    return path === this.options.configPath || (dirname(path) === dirname(this.options.configPath) && basename(path) === '.env');
  }

  private underRoot(path: string): boolean {
    return this.roots.some((root) => path === root || path.startsWith(root + sep));
  }

  private record(path: string): void {
    let relevant = false;
    if (this.isConfigFile(path)) {
      this.pending.config = true;
      relevant = true;
    }
    for (const root of this.roots) {
      const rel = relative(root, path);
      if (rel === '' || rel.startsWith('..')) continue;
      this.pending.pluginDirs.add(root + sep + rel.split(sep)[0]);
      relevant = true;
    }
    if (!relevant) return;
    const now = Date.now();
    if (!this.timer) this.firstAt = now;
    clearTimeout(this.timer);
    const wait = Math.min(this.options.debounceMs ?? 100, Math.max(0, this.firstAt + (this.options.maxWaitMs ?? 1000) - now));
    this.timer = setTimeout(() => this.flush(), wait);
  }

  private flush(): void {
    this.timer = undefined;
    const changes = this.pending;
    this.pending = { config: false, pluginDirs: new Set() };
    this.options.onChange(changes);
  }
}
